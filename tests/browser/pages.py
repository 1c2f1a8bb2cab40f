"""Page objects: what a user does on each page, in the user's words, not in selectors."""

from dataclasses import dataclass


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
