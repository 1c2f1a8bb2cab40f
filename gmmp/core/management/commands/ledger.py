"""gmmp ledger verify | publish | head

    gmmp ledger verify    recompute the keyed chain over every ledger; exit 1 on any problem
    gmmp ledger publish   append today's signed head (count + mac) to DATA_DIR/ledger/heads.jsonl and the log
    gmmp ledger head      print the current head

The worker does both each night (job `ledger_check`: verify, then publish only a chain that holds,
otherwise alert the administrators)."""

from django.core.management.base import BaseCommand, CommandError

from gmmp.core.ledger_chain import chain_head, chain_publish, chain_verify


class Command(BaseCommand):
    help = "Tamper evidence of the ledgers: verify the keyed chain, publish the signed head."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["verify", "publish", "head"])

    def handle(self, *args, what, **options):
        if what == "head":
            count, mac = chain_head()
            self.stdout.write(f"{count} {mac}")
        elif what == "publish":
            head = chain_publish()
            self.stdout.write(f"Published head: {head['count']} events, mac {head['mac']} ({head['at']}).")
        else:
            report = chain_verify()
            if not report.ok:
                for problem in report.problems:
                    self.stderr.write(problem)
                raise CommandError(f"Ledger verification FAILED: {len(report.problems)} problem(s).")
            self.stdout.write(f"Ledger verified: {report.count} events, chain and published heads hold.")
