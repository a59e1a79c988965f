"""Connections hold each platform's own credential fields: the sealed token becomes the sealed
secrets (a bare token in an existing row is read as ``access_token``, so no row needs the key to
migrate), and the other fields go to ``settings`` (the server address of existing rows)."""

from django.db import migrations, models


def server_into_settings(apps, schema_editor):
    Connection = apps.get_model("inbox", "Connection")
    for conn in Connection.objects.exclude(base_url=""):
        conn.settings = {**(conn.settings or {}), "server": conn.base_url}
        conn.save(update_fields=["settings"])


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0003_connection_history"),
    ]

    operations = [
        migrations.RenameField(model_name="connection", old_name="token_sealed", new_name="secrets_sealed"),
        migrations.AlterField(
            model_name="connection", name="secrets_sealed", field=models.TextField(blank=True)
        ),
        migrations.AddField(
            model_name="connection",
            name="settings",
            field=models.JSONField(blank=True, default=dict, verbose_name="connection settings"),
        ),
        migrations.AddField(
            model_name="historicalconnection",
            name="settings",
            field=models.JSONField(blank=True, default=dict, verbose_name="connection settings"),
        ),
        migrations.RunPython(server_into_settings, migrations.RunPython.noop),
    ]
