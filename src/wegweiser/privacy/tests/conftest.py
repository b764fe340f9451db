import pytest


@pytest.fixture(autouse=True)
def deletion_journal(tmp_path, settings):
    """Every test writes its own deletion journal file."""
    settings.WEGWEISER_DELETION_JOURNAL = str(tmp_path / "deletion-journal.jsonl")
    return tmp_path / "deletion-journal.jsonl"
