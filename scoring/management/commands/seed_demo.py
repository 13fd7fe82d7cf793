from django.core.management.base import BaseCommand

from scoring.demo import seed_demo


class Command(BaseCommand):
    help = "Creates or refreshes the Cụm thi đua số 12 demo (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Password for every demo user. Without it, new users get a generated password, "
            "printed once; existing users keep theirs.",
        )

    def handle(self, *args, password=None, **options):
        summary = seed_demo(password=password)
        if summary.password_set:
            self.stdout.write("Demo users' password set to the one given.")
        for username, generated in summary.created_users.items():
            self.stdout.write(f"{username}: {generated}")
        if summary.created_users:
            self.stdout.write(self.style.WARNING("These passwords are shown only once."))
        self.stdout.write(self.style.SUCCESS("Cụm thi đua số 12 demo is ready."))
