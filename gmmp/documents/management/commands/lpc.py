"""`gmmp lpc …`: check a laissez-passer seal offline, and manage the signing keys.

    gmmp lpc verify PAYLOAD [--keys keys.json] [--date YYYY-MM-DD]
    gmmp lpc keys list
    gmmp lpc keys rotate

`verify` needs nothing but the public keys (the local keys directory, or a keys.json downloaded from
/lpc/keys.json): no database, no network. It exits with status 0 only for a genuine seal within its
validity dates. Offline, revocation and use cannot be known: the public page answers those.
"""

import datetime as dt
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gmmp.core import clock
from gmmp.documents.keys import key_store, keyset_from_json
from gmmp.documents.seal import SealStatus, seal_check

MESSAGES = {
    SealStatus.VALID: gettext_lazy(
        "VALIDE : cachet authentique, dans sa période de validité (révocation non vérifiable hors ligne)."
    ),
    SealStatus.EXPIRED: gettext_lazy("EXPIRÉ : cachet authentique, période de validité dépassée."),
    SealStatus.NOT_YET_VALID: gettext_lazy(
        "PAS ENCORE VALABLE : cachet authentique, validité pas encore commencée."
    ),
    SealStatus.FORGED: gettext_lazy("FAUX : cachet illisible, altéré ou signé par une clé inconnue."),
}
REASONS = {
    "malformed": gettext_lazy("le texte ne contient pas de cachet LPC1 lisible"),
    "unknown_key": gettext_lazy("clé de signature inconnue"),
    "bad_signature": gettext_lazy("signature invalide (document altéré)"),
}


class Command(BaseCommand):
    help = "Laissez-passer consulaires : vérification hors ligne d'un cachet, gestion des clés de signature."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="Vérifie un cachet avec les seules clés publiques.")
        verify.add_argument(
            "payload", help="Le contenu du code QR (LPC1-…), ou « - » pour le lire sur l'entrée."
        )
        verify.add_argument(
            "--keys", help="Fichier keys.json (sinon : les clés publiques du répertoire local)."
        )
        verify.add_argument("--date", help="Date de la vérification, AAAA-MM-JJ (par défaut : aujourd'hui).")
        verify.add_argument("--json", action="store_true", help="Résultat en JSON.")
        keys = sub.add_parser("keys", help="Clés de signature.")
        keys_sub = keys.add_subparsers(dest="keys_command", required=True)
        keys_sub.add_parser("list", help="Liste les clés (la clé courante est marquée).")
        keys_sub.add_parser(
            "rotate", help="Crée une nouvelle clé courante ; l'ancienne reste publiée pour vérifier."
        )

    def handle(self, *args, **options):
        if options["subcommand"] == "verify":
            return self._verify(options)
        if options["keys_command"] == "rotate":
            kid = key_store().rotate()
            self.stdout.write(_("Nouvelle clé courante : %(kid)s") % {"kid": kid})
            return None
        return self._list()

    def _public_keys(self, path: str | None) -> dict:
        if not path:
            return key_store().public_keys()
        try:
            return keyset_from_json(json.loads(Path(path).read_text()))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CommandError(
                _("Fichier de clés illisible : %(path)s (%(error)s)") % {"path": path, "error": exc}
            ) from exc

    def _verify(self, options) -> None:
        payload = sys.stdin.read() if options["payload"] == "-" else options["payload"]
        keys = self._public_keys(options.get("keys"))
        if not keys:
            raise CommandError(
                _("Aucune clé publique : indiquez --keys keys.json (publié sur /lpc/keys.json).")
            )
        try:
            today = dt.date.fromisoformat(options["date"]) if options.get("date") else clock.today()
        except ValueError as exc:
            raise CommandError(_("--date attend une date AAAA-MM-JJ.")) from exc
        result = seal_check(payload, keys, today)
        if options.get("json"):
            data = result.data
            self.stdout.write(
                json.dumps(
                    {
                        "status": result.status,
                        "reason": result.reason or None,
                        "number": data.number if data else None,
                        "last_name": data.last_name if data else None,
                        "first_names": data.first_names if data else None,
                        "birth_date": data.birth_date if data else None,
                        "valid_from": data.valid_from.isoformat() if data else None,
                        "valid_to": data.valid_to.isoformat() if data else None,
                        "issuer": data.issuer if data else None,
                        "key_id": data.kid if data else None,
                    },
                    ensure_ascii=False,
                )
            )
        else:
            self.stdout.write(str(MESSAGES[result.status]))
            if result.data:
                data = result.data
                self.stdout.write(f"  Numéro      : {data.number}")
                self.stdout.write(f"  Titulaire   : {data.last_name.upper()} {data.first_names}")
                self.stdout.write(f"  Naissance   : {data.birth_date or '—'}")
                self.stdout.write(
                    f"  Validité    : du {data.valid_from:%d/%m/%Y} au {data.valid_to:%d/%m/%Y}"
                )
                self.stdout.write(f"  Délivré par : {data.issuer} (clé {data.kid})")
        if result.status != SealStatus.VALID:
            detail = REASONS.get(result.reason, result.status)
            raise CommandError(_("Laissez-passer non valable : %(detail)s.") % {"detail": detail})

    def _list(self) -> None:
        document = key_store().public_document()
        if not document["keys"]:
            self.stdout.write(_("Aucune clé. Créez-en une : gmmp lpc keys rotate"))
            return
        for key in document["keys"]:
            mark = "*" if key["kid"] == document["current"] else " "
            retired = (
                _("retirée le %(date)s") % {"date": key["retired"]} if key.get("retired") else _("en service")
            )
            self.stdout.write(f"{mark} {key['kid']}  {key['created']}  {retired}")
