import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from wegweiser.privacy.models import AuditEvent
from wegweiser.privacy.selectors import audit_chain_verify
from wegweiser.privacy.services import GENESIS_HASH, audit_log

pytestmark = pytest.mark.django_db


def _events(n=3):
    return [
        audit_log(action="test.thing.read", object_type="test.thing", object_id=i, fields=["name"])
        for i in range(n)
    ]


def test_audit_log_chains_events():
    first, second, third = _events()
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert audit_chain_verify() is None


def test_audit_log_records_field_names_never_values():
    event = audit_log(action="test.thing.updated", fields=["full_name", "phone", "full_name"])
    assert event.fields == ["full_name", "phone"]


def _tamper(sql, params):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # An attacker with superuser rights can bypass the trigger; the chain still tells.
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def test_audit_verify_names_the_changed_row():
    _first, second, _third = _events()
    _tamper("UPDATE privacy_auditevent SET object_id = %s WHERE id = %s", ["999", second.id])
    broken = audit_chain_verify()
    assert broken is not None and broken.event_id == second.id
    with pytest.raises(CommandError, match=f"event {second.id}"):
        call_command("audit_verify")


def test_audit_verify_detects_a_removed_row():
    _first, second, third = _events()
    _tamper("DELETE FROM privacy_auditevent WHERE id = %s", [second.id])
    broken = audit_chain_verify()
    assert broken is not None and broken.event_id == third.id


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)
def test_audit_table_refuses_update_on_postgresql():
    from django.db import DatabaseError, transaction

    event = _events(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
