"""On PostgreSQL the database itself refuses UPDATE and DELETE on consent events.

DELETE is let through only inside `privacy.models.consent_purge_allowed()` (the retention run),
which sets the transaction-local setting `wegweiser.consent_purge`.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION privacy_consentevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND coalesce(current_setting('wegweiser.consent_purge', true), '') = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'privacy_consentevent is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER privacy_consentevent_append_only
    BEFORE UPDATE OR DELETE ON privacy_consentevent
    FOR EACH ROW EXECUTE FUNCTION privacy_consentevent_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS privacy_consentevent_append_only ON privacy_consentevent;
DROP FUNCTION IF EXISTS privacy_consentevent_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0003_consent")]
    operations = [migrations.RunPython(forwards, backwards)]
