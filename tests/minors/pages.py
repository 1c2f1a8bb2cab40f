"""Page objects of the protected track: what each person does, in their words."""

from dataclasses import dataclass


@dataclass
class ReferralPage:
    page: object

    def open(self):
        self.page.goto("/minors/referral/new/")
        return self

    def refer(self, **fields) -> "MinorCasePage":
        for name, value in fields.items():
            selector = f"#id_{name}"
            if self.page.locator(selector).evaluate("e => e.tagName") == "SELECT":
                self.page.select_option(selector, value)
            else:
                self.page.fill(selector, value)
        with self.page.expect_navigation():
            self.page.click("[data-testid=refer]")
        return MinorCasePage(self.page)


@dataclass
class MinorCasePage:
    page: object

    @property
    def reference(self) -> str:
        return self.page.url.rstrip("/").split("/")[-1]

    def open(self, reference: str):
        self.page.goto(f"/minors/{reference}/")
        return self

    def steps_offered(self) -> list[str]:
        return self.page.eval_on_selector_all(
            "details.action[data-step]", "els => els.map(e => e.dataset.step)"
        )

    def take(self, step: str, files=None, **fields) -> "MinorCasePage":
        box = self.page.locator(f"details.action[data-step={step}]")
        if box.get_attribute("open") is None:
            box.locator("summary").click()
        for name, value in fields.items():
            target = box.locator(f"[name={step}-{name}]")
            kind = target.first.evaluate("e => e.tagName + ':' + (e.type || '')")
            if kind.startswith("SELECT"):
                target.select_option(value)
            elif kind.endswith(":checkbox"):
                for item in value:
                    box.locator(f"[name={step}-{name}][value={item}]").check()
            else:
                target.fill(str(value))
        for name, path in (files or {}).items():
            box.locator(f"[name={step}-{name}]").set_input_files(path)
        with self.page.expect_navigation():
            box.locator("button[type=submit]").click()
        return self

    def text(self) -> str:
        return self.page.inner_text("main")
