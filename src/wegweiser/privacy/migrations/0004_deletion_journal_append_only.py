"""On PostgreSQL the database refuses UPDATE and DELETE on the deletion journal, like the audit log."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION privacy_deletionjournal_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'privacy_deletionjournal is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER privacy_deletionjournal_append_only
    BEFORE UPDATE OR DELETE ON privacy_deletionjournal
    FOR EACH ROW EXECUTE FUNCTION privacy_deletionjournal_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS privacy_deletionjournal_append_only ON privacy_deletionjournal;
DROP FUNCTION IF EXISTS privacy_deletionjournal_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0003_retention_and_subject_requests")]
    operations = [migrations.RunPython(forwards, backwards)]
