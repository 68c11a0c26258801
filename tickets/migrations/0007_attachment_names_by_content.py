"""Attachments kept before their names were checked get the extension of their content: a PNG
uploaded as `x.html` is `x.png` from now on. (The view serves every file under the same rule,
so a row this missed is safe too; files on disk keep their random names and are served only
through that view.)"""

from django.db import migrations

from tickets.attachments import attachment_name


def name_by_content(apps, schema_editor):
    Attachment = apps.get_model("tickets", "Attachment")
    changed = []
    for attachment in Attachment.objects.only("pk", "original_name", "content_type").iterator(
        chunk_size=2000
    ):
        name = attachment_name(attachment.original_name, attachment.content_type)
        if name != attachment.original_name:
            attachment.original_name = name
            changed.append(attachment)
        if len(changed) >= 2000:
            Attachment.objects.bulk_update(changed, ["original_name"])
            changed = []
    Attachment.objects.bulk_update(changed, ["original_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0006_event_note_public"),
    ]

    operations = [
        migrations.RunPython(name_by_content, migrations.RunPython.noop),
    ]
