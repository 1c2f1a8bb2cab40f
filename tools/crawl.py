"""Black-box walk of a running platform: each persona logs in and follows every same-origin GET link
(bounded), in the languages asked; reports the pages that answer 403/404/5xx from a link the platform
itself showed, and en/ar pages still showing common French words of the interface (user-typed text in
French, e.g. demo notes, shows up too: read the hits).

    python tools/crawl.py prefecture.paris,consulat.paris fr,en,ar 40 [http://127.0.0.1:8000] [password]

Run it against `make run` (demo data, password gmmp-demo-2026)."""

import collections
import re
import sys
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import requests

BASE = sys.argv[4] if len(sys.argv) > 4 else "http://127.0.0.1:8000"
PW = sys.argv[5] if len(sys.argv) > 5 else "gmmp-demo-2026"
PERSONAS = sys.argv[1].split(",")
LANGS = sys.argv[2].split(",") if len(sys.argv) > 2 else ["fr"]
LIMIT = int(sys.argv[3]) if len(sys.argv) > 3 else 60
SKIP = ("/logout", "/i18n/", "/static/", "/admin/", ".pdf", "/api/v1/docs", "download", "/lpc/verify")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []
        self.text = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            h = dict(attrs).get("href")
            if h:
                self.links.append(h)
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, d):
        if not self.skip:
            self.text.append(d)


FRENCH = re.compile(
    r"\b(Demande|demandes|Rechercher|Enregistrer|Valider|Annuler|Retour|Suivant|Précédent|Aucun|Aucune|Consulat|État|Date de|Nom|Prénom|Tableau|Indicateurs|Se déconnecter|brouillon|Brouillon|mineur|Mineur)\b"
)


def walk(user, lang):
    s = requests.Session()
    r = s.get(BASE + "/login/")
    tok = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', r.text).group(1)
    r = s.post(
        BASE + "/login/",
        data={"username": user, "password": PW, "csrfmiddlewaretoken": tok},
        headers={"Referer": BASE + "/login/"},
    )
    s.cookies.set("django_language", lang)
    seen, queue, problems = set(), collections.deque(["/"]), []
    while queue and len(seen) < LIMIT:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        r = s.get(BASE + path, allow_redirects=True)
        if r.status_code >= 500 or r.status_code == 404 or r.status_code == 403:
            problems.append((r.status_code, path))
            continue
        if "text/html" not in r.headers.get("content-type", ""):
            continue
        p = Links()
        p.feed(r.text)
        if lang != "fr":
            text = " ".join(p.text)
            hits = set(FRENCH.findall(text))
            if hits:
                problems.append(("FR-in-" + lang, path, sorted(hits)[:6]))
        for h in p.links:
            u = urljoin(BASE + path, h)
            pu = urlparse(u)
            if pu.netloc != urlparse(BASE).netloc:
                continue
            q = pu.path + (("?" + pu.query) if pu.query else "")
            if any(x in q for x in SKIP):
                continue
            # keep one page per shape: collapse digits in paths with query strings
            if q not in seen:
                queue.append(q)
    return len(seen), problems


for user in PERSONAS:
    for lang in LANGS:
        n, probs = walk(user, lang)
        print(f"{user} [{lang}] {n} pages, {len(probs)} problems")
        for pr in probs[:15]:
            print("   ", pr)
