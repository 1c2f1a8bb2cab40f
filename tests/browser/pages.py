"""Page objects: what a user does on each page, in the user's words, not in selectors."""

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class NewRequestPage:
    page: object

    def open(self):
        self.page.goto("/cases/new/")
        return self

    def fill_identity(self, **fields):
        for name, value in fields.items():
            selector = f"#id_{name}"
            if self.page.locator(selector).evaluate("e => e.tagName") == "SELECT":
                self.page.select_option(selector, value)
            else:
                self.page.fill(selector, value)
        return self

    def attach(self, category: str, kind: str, path: str):
        self.page.select_option("#id_evidence-category", category)
        self.page.select_option("#id_evidence-kind", kind)
        self.page.set_input_files("#id_evidence-file", path)
        return self

    def submit(self) -> "CasePage":
        self.page.click("button[name=submit]")
        self.page.wait_for_load_state()
        return CasePage(self.page)


@dataclass
class CasePage:
    page: object

    @property
    def reference(self) -> str:
        return self.page.url.rstrip("/").split("/")[-1]

    @property
    def state(self) -> str:
        return self.page.inner_text("[data-testid=case-state]")

    def open(self, reference: str):
        self.page.goto(f"/cases/{reference}/")
        return self

    def available_actions(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "details.action[data-action]", "els => els.map(e => e.dataset.action)"
        )

    def act(self, action: str, **fields) -> "CasePage":
        box = self.page.locator(f"details.action[data-action={action}]")
        box.locator("summary").click()
        for name, value in fields.items():
            target = box.locator(f"[name={action}-{name}]")
            kind = target.first.evaluate("e => e.tagName + ':' + (e.type || '')")
            if kind.startswith("SELECT"):
                target.select_option(value)
            elif kind.endswith(":radio"):
                box.locator(f"[name={action}-{name}][value={value}]").check()
            elif kind.endswith(":checkbox"):
                target.set_checked(bool(value))
            else:
                target.fill(value)
        with self.page.expect_navigation():
            box.locator("button[type=submit]").click()
        return self

    def messages(self) -> str:
        loc = self.page.locator(".messages")
        return loc.inner_text() if loc.count() else ""


# ---------------------------------------------------------------------------------------------------
# What every visit checks, and the pages of each persona's day (tests/browser/test_personas.py).

AXE = Path(__file__).parent / "assets" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def output_dir() -> Path:
    """Screenshots of visited pages (not committed): $GMMP_TEST_OUTPUT or var/test-output/."""
    base = Path(
        os.environ.get("GMMP_TEST_OUTPUT") or Path(__file__).resolve().parents[2] / "var" / "test-output"
    )
    path = base / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """axe-core (vendored, tests/browser/assets) injected into the page: its serious and critical findings."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, not as an inline <script>: the pages' Content Security
        # Policy (script-src 'self') rightly refuses inline scripts.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    return [v for v in found if v["impact"] in impacts]


def horizontal_overflow(page) -> int:
    """How many pixels the page scrolls sideways (0 when everything fits the viewport's width)."""
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


@dataclass
class Visit:
    """A persona's browser at one width, in one language: each page visited is screenshot and checked."""

    page: object
    persona: str
    lang: str
    width: str  # desktop | phone
    visited: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    def open(self, url: str, name: str, *, axe: bool = True):
        response = self.page.goto(url)
        assert response is not None and response.status < 400, f"{url}: {response and response.status}"
        self.check(name, axe=axe)
        return self

    def check(self, name: str, *, axe: bool = True):
        self.page.wait_for_load_state()
        shot = output_dir() / f"{self.persona}-{self.lang}-{self.width}-{name}.png"
        self.page.screenshot(path=str(shot), full_page=True)
        self.visited.append(name)
        if self.width == "phone":
            overflow = horizontal_overflow(self.page)
            if overflow > 0:
                self.problems.append(f"{name}: scrolls sideways by {overflow}px at {PHONE['width']}px")
        if axe:
            for v in axe_violations(self.page):
                self.problems.append(f"{name}: axe {v['impact']} {v['id']} ({v['help']}) at {v['nodes']}")
        return self

    def assert_clean(self):
        assert not self.problems, "\n".join(self.problems)


def tab_to(page, selector: str, max_presses: int = 80):
    """Press Tab until the element matching `selector` has the focus: proves it is reachable without a mouse."""
    target = page.locator(selector).first
    for _n in range(max_presses):
        if target.evaluate("e => e === document.activeElement"):
            return target
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} not reached with {max_presses} presses of Tab")


@dataclass
class LoginPage:
    page: object

    def sign_in(self, username: str, password: str):
        self.page.goto("/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        with self.page.expect_navigation():
            self.page.click("main button[type=submit]")
        return self


@dataclass
class CaseListPage:
    page: object

    def open(self, **params):
        query = "&".join(f"{k}={v}" for k, v in params.items())
        self.page.goto("/cases/" + (f"?{query}" if query else ""))
        return self

    def references(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "table.cases td.ref a", "els => els.map(e => e.innerText.trim())"
        )

    def column_headers(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "table.cases thead th", "els => els.map(e => e.textContent.replace(/[▲▼]/g, '').trim())"
        )

    def sort_by(self, header: str):
        with self.page.expect_navigation():
            self.page.locator("table.cases thead th a", has_text=header).first.click()
        return self

    def arrivals_today(self) -> str:
        return self.page.inner_text("[data-testid=arrivals-today]")


@dataclass
class DashboardPage:
    page: object

    def open(self):
        self.page.goto("/indicators/")
        return self

    def chosen_period(self) -> str:
        return self.page.eval_on_selector("#id_period", "e => e.value")

    def choose_period(self, code: str):
        self.page.select_option("#id_period", code)
        with self.page.expect_navigation():
            self.page.click("form.filters button[type=submit]")
        return self

    def is_provisional(self) -> bool:
        return self.page.locator("[data-testid=provisional]").count() == 1

    def chart_text_px(self) -> float:
        """The smallest rendered size of chart text: the SVG's font size times its display scale."""
        return self.page.evaluate(
            """async () => {
                let smallest = 1e9;
                for (const img of document.querySelectorAll('.chart img')) {
                    const svg = atob(img.src.split(',')[1]);
                    const width = parseFloat(/width="([\\d.]+)pt"/.exec(svg)[1]);
                    const sizes = [...svg.matchAll(/font-size: ([\\d.]+)px/g)].map(m => parseFloat(m[1]));
                    if (!sizes.length || !img.clientWidth) continue;
                    smallest = Math.min(smallest, Math.min(...sizes) * img.clientWidth / width);
                }
                return smallest;
            }"""
        )


@dataclass
class VerifyPage:
    page: object

    def open(self):
        self.page.goto("/lpc/verify/")
        return self

    def check_typed(self, number: str, code: str) -> str:
        self.page.fill("#id_number", number)
        self.page.fill("#id_check_code", code)
        with self.page.expect_navigation():
            self.page.click("main form.stacked button[type=submit]")
        return self.page.locator("[data-testid=verdict]").get_attribute("data-status")
