from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from newsbrief.accounts.models import ApiToken


class Command(BaseCommand):
    help = (
        "API tokens: 'token create USER [--name NAME]' prints a new token (shown only then), "
        "'token list [USER]' lists them, 'token revoke ID' ends one."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="make a token for USER and print it")
        create.add_argument("user")
        create.add_argument("--name", default="command line", help="what the token is for")
        listing = actions.add_parser("list", help="the tokens (of USER)")
        listing.add_argument("user", nargs="?")
        revoke = actions.add_parser("revoke", help="end the token with this id")
        revoke.add_argument("id", type=int)

    def handle(self, *args, **options):
        action = options["action"]
        if action == "create":
            User = get_user_model()
            user = User.objects.filter(**{User.USERNAME_FIELD: options["user"]}).first()
            if user is None:
                raise CommandError(f"there is no user {options['user']!r}")
            if not user.is_active:
                raise CommandError(f"the user {options['user']!r} is not active")
            row, token = ApiToken.issue(user, options["name"][:100])
            self.stderr.write(f"token {row.pk} for {user.get_username()}; it is not shown again:")
            self.stdout.write(token)
        elif action == "list":
            rows = ApiToken.objects.select_related("user").order_by("pk")
            if options["user"]:
                rows = rows.filter(user__username=options["user"])
            for row in rows:
                state = f"revoked {row.revoked:%Y-%m-%d}" if row.revoked else "live"
                used = f"{row.last_used:%Y-%m-%d %H:%M}" if row.last_used else "never used"
                self.stdout.write(
                    f"{row.pk}\t{row.user.get_username()}\t{row.prefix}…\t{row.name}\t"
                    f"{used}\t{state}"
                )
        else:
            row = ApiToken.objects.filter(pk=options["id"]).first()
            if row is None:
                raise CommandError(f"there is no token {options['id']}")
            row.revoke()
            self.stdout.write(f"token {row.pk} revoked")
