# The models enterprises/migrations/0003 made, taken over with their tables
# (enterprises_dispatch, enterprises_dispatchproblem), indexes and constraints as they are: the
# state changes, the database does not. Their content types follow them, so that permissions
# granted on them and the admin's history stay attached.

import django.db.models.deletion
from django.db import migrations, models

MODELS = ("dispatch", "dispatchproblem")


def content_types_to(old: str, new: str):
    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        types = ContentType.objects.using(schema_editor.connection.alias)
        for model in MODELS:
            if not types.filter(app_label=new, model=model).exists():
                types.filter(app_label=old, model=model).update(app_label=new)

    return move


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("enterprises", "0004_dispatches_moved_out"),
        ("tickets", "0003_reminders_and_follow_up"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Dispatch",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("scheduled_for", models.DateField(help_text="The due date this dispatch answers.", verbose_name="scheduled date")),
                        ("visited_on", models.DateField(verbose_name="date of the visit")),
                        ("output_value", models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="output value (10,000 yuan)")),
                        ("sales", models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name="sales revenue (10,000 yuan)")),
                        ("notes", models.TextField(blank=True, verbose_name="notes")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="recorded")),
                        ("enterprise", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="dispatches", to="enterprises.enterprise", verbose_name="enterprise")),
                        ("official", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="dispatches", to="enterprises.official", verbose_name="official")),
                    ],
                    options={
                        "verbose_name": "dispatch",
                        "verbose_name_plural": "dispatches",
                        "db_table": "enterprises_dispatch",
                        "ordering": ["-visited_on", "-id"],
                        "indexes": [models.Index(fields=["enterprise", "-scheduled_for"], name="dispatch_recent_idx")],
                        "constraints": [
                            models.UniqueConstraint(fields=("enterprise", "scheduled_for"), name="dispatch_once_per_due_date", violation_error_message="A dispatch for this due date is already recorded."),
                            models.CheckConstraint(condition=models.Q(("output_value__gte", 0), ("output_value__isnull", True), _connector="OR"), name="dispatch_output_not_negative"),
                            models.CheckConstraint(condition=models.Q(("sales__gte", 0), ("sales__isnull", True), _connector="OR"), name="dispatch_sales_not_negative"),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="DispatchProblem",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("description", models.CharField(max_length=500, verbose_name="problem")),
                        ("dispatch", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="problems", to="dispatches.dispatch", verbose_name="dispatch")),
                        ("ticket", models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="dispatch_problem", to="tickets.ticket", verbose_name="ticket")),
                    ],
                    options={
                        "verbose_name": "problem found",
                        "verbose_name_plural": "problems found",
                        "db_table": "enterprises_dispatchproblem",
                        "ordering": ["id"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            content_types_to("enterprises", "dispatches"),
            content_types_to("dispatches", "enterprises"),
            elidable=True,
        ),
    ]
