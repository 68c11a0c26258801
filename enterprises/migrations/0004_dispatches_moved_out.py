# Dispatches moved to their own app (dispatches), tables and rows where they are: only Django's
# idea of which app owns the two models changes here; dispatches/migrations/0001 takes them up.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("enterprises", "0003_dispatches"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="DispatchProblem"),
                migrations.DeleteModel(name="Dispatch"),
            ],
            database_operations=[],
        ),
    ]
