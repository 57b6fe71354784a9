"""Fill the database with a large generated data set for benchmarks."""

from django.core.management.base import BaseCommand, CommandError

from portal import fake_data


class Command(BaseCommand):
    help = (
        "Generate N good practices with organisations, projects, events, proposals and "
        "regions around them, reproducibly (--seed). Generated rows have slugs starting "
        "with 'fake-' and e-mail addresses @fake.example; the command refuses to run on a "
        "database holding other content (the demo) unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--practices", type=int, default=1000, help="How many practices.")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the generator.")
        parser.add_argument(
            "--batch-size", type=int, default=2000, help="Rows per INSERT statement."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=2,
            help="Database connections inserting practices at once (PostgreSQL).",
        )
        parser.add_argument(
            "--clear",
            action="store_true",
            help="Delete previously generated rows first (only rows marked as generated).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though the database holds content that was not generated.",
        )

    def handle(self, *args, practices, seed, batch_size, workers, clear, force, **options):
        if practices < 1:
            raise CommandError("--practices must be at least 1.")
        if fake_data.holds_real_content() and not force:
            raise CommandError(
                "This database holds content that was not generated (the demo?). Generated "
                "data must not be mixed into it: use another DATABASE_URL, or --force."
            )
        if fake_data.holds_fake_content():
            if not clear:
                raise CommandError(
                    "This database already holds generated data; pass --clear to replace it."
                )
            self.stdout.write("Deleting the previously generated rows...")
            fake_data.clear_fake_content()
        verbose = options["verbosity"] > 1
        generator = fake_data.FakeDataGenerator(
            practices=practices,
            seed=seed,
            batch_size=batch_size,
            workers=workers,
            log=self.stdout.write if verbose else None,
        )
        stats = generator.run()
        summary = ", ".join(f"{key} {value}" for key, value in stats.items())
        self.stdout.write(self.style.SUCCESS(f"Generated: {summary}"))
