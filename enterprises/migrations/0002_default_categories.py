"""The default problem categories of docs/domain.md, with the 13710 clocks (1 / 3 / 7 or 22 days)."""

from django.db import migrations

# (code, name, parent code, complexity)
DEFAULTS = [
    ("factors", "要素保障", None, "simple"),
    ("land", "用地", "factors", "complex"),
    ("power", "用电", "factors", "simple"),
    ("energy", "用煤用能", "factors", "complex"),
    ("labour", "用工", "factors", "simple"),
    ("logistics", "物流", "factors", "simple"),
    ("financing", "融资", None, "complex"),
    ("policy", "政策落实", None, "simple"),
    ("approval", "审批服务", None, "simple"),
    ("market", "市场开拓", None, "simple"),
    ("innovation", "科技创新与人才", None, "simple"),
    ("infrastructure", "基础设施", None, "complex"),
    ("legal", "法律与执法", None, "simple"),
    ("other", "其他", None, "simple"),
]


def create(apps, schema_editor):
    Category = apps.get_model("enterprises", "Category")
    by_code = {}
    for order, (code, name, parent, complexity) in enumerate(DEFAULTS):
        by_code[code], _ = Category.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "parent": by_code.get(parent),
                "complexity": complexity,
                "acceptance_days": 1,
                "progress_days": 3,
                "completion_days": 22 if complexity == "complex" else 7,
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
