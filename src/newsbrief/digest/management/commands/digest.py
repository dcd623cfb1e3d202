from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from newsbrief.digest import sending
from newsbrief.digest.models import Delivery, Subscription


class Command(BaseCommand):
    help = (
        "E-mail digests: `digest send [--dry-run]` sends the digests that are due; "
        "`digest bounce ADDRESS...` records bounces reported later."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        send = commands.add_parser("send", help="send the due digests (safe to run again)")
        send.add_argument(
            "--dry-run", action="store_true", help="list what would be sent; send nothing"
        )
        bounce = commands.add_parser(
            "bounce",
            help="record hard bounces that the mail server reported later (a DSN), by address",
        )
        bounce.add_argument("addresses", nargs="+", metavar="ADDRESS")
        bounce.add_argument("--reason", default="bounce reported by the mail server")

    def handle(self, *args, action, dry_run=False, verbosity=1, **options):
        if action == "bounce":
            self.bounce(options["addresses"], options["reason"])
            return
        if dry_run:
            self.dry_run()
            return
        try:
            report = sending.send_due(progress=verbosity > 0)
        except sending.AlreadyRunning:
            raise CommandError("another `digest send` is running on this database") from None
        for delivery in report.uncertain:
            self.stderr.write(
                f"may or may not have been delivered (the run stopped while the server was "
                f"accepting it; not resent): {delivery.subscription.email} "
                f"Message-ID {delivery.message_id}"
            )
        self.stdout.write(
            f"sent {report.sent}, nothing new {report.empty}, bounced {report.bounced}, "
            f"deferred {report.deferred}, uncertain {len(report.uncertain)}"
        )
        if report.stopped:
            raise CommandError(
                f"stopped: the mail server failed ({report.stopped}); run again to send the rest"
            )

    def dry_run(self) -> None:
        handing_over = Delivery.objects.filter(state=Delivery.State.COMMITTING)
        for delivery in handing_over.select_related("subscription"):
            self.stdout.write(f"would mark uncertain: {delivery.subscription.email}")
        count = 0
        for digest in sending.due(timezone.now()):
            briefs = digest.briefs().count()
            if briefs:
                count += 1
                again = " (again: a stopped run claimed it)" if digest.delivery else ""
                start, end = (timezone.localtime(t) for t in (digest.start, digest.end))
                self.stdout.write(
                    f"would send {digest.subscription.email}: {briefs} briefs, "
                    f"{start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M}{again}"
                )
        self.stdout.write(f"would send {count} digests")

    def bounce(self, addresses: list[str], reason: str) -> None:
        recorded = 0
        for address in addresses:
            subscription = Subscription.objects.filter(email__iexact=address.strip()).first()
            if subscription is None:
                self.stderr.write(f"no subscription for {address!r}")
                continue
            subscription.record_bounce(reason)
            recorded += 1
            self.stdout.write(
                f"{subscription.email}: {subscription.bounces} bounces in a row, "
                f"{subscription.get_state_display().lower()}"
            )
        self.stdout.write(f"recorded {recorded}, unknown {len(addresses) - recorded}")
