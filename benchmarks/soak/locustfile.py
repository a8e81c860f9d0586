"""Soak scenario (issue 16 item 7): customers, staff and partners on one server, against PostgreSQL with a seeded
database. Started by ``benchmarks/soak/run.py``, which seeds the users and writes the fixtures this file reads
(``SOAK_FIXTURES``: customers with an outpatient policy past its waiting period, ID numbers and phones to search).

- customer (weight 6): family home page (全家保障一览), a household quote, a claim submission (the checklist's
  documents uploaded, then the claim with its own idempotency key and invoice);
- staff (weight 3): search by ID number, search by phone (service role), the claims queue (claims role), the
  underwriting referral queue (underwriter role);
- partner (weight 1): the households served, then one of them.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from locust import HttpUser, between, task

FIXTURES: dict[str, Any] = json.loads(open(os.environ["SOAK_FIXTURES"], encoding="utf-8").read())  # noqa: SIM115
PASSWORD = FIXTURES["password"]
ACCOUNT = "6222021234567890128"
DOCUMENTS = ["claim_form", "insured_id", "bank_account", "invoice", "expense_list", "outpatient_record"]
PNG = b"\x89PNG\r\n\x1a\n" + bytes(2048)
_customers = itertools.cycle(FIXTURES["customers"])


def _token(user: HttpUser, username: str, password: str) -> dict[str, str]:
    response = user.client.post(
        "/api/v1/auth/token", json={"username": username, "password": password}, name="auth token"
    )
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


class Customer(HttpUser):
    weight = 6
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        me = next(_customers)
        self.household, self.insured, username = me["household_id"], me["insured_person_id"], me["username"]
        self.rng = random.Random(username)
        page = self.client.get("/login", name="page /login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert csrf is not None
        self.client.post(
            "/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf.group(1)},
            name="page POST /login",
        )  # fmt: skip
        self.auth = _token(self, username, PASSWORD)

    @task(6)
    def family_home(self) -> None:
        with self.client.get(
            f"/households/{self.household}", name="customer: family home page", catch_response=True
        ) as response:
            if response.status_code != 200 or "/login" in response.url:
                response.failure(f"status {response.status_code} at {response.url}")

    @task(3)
    def quote(self) -> None:
        line = {
            "person_id": self.insured, "product_code": "medical_million", "sum_assured": "2000000",
            "social_insurance": True,
        }  # fmt: skip
        self.client.post(
            f"/api/v1/households/{self.household}/quote", json={"lines": [line]}, headers=self.auth,
            name="customer: quote",
        )  # fmt: skip

    @task(1)
    def claim(self) -> None:
        ids = []
        for kind in DOCUMENTS:
            response = self.client.post(
                f"/api/v1/households/{self.household}/claim-documents", data={"kind": kind},
                files={"file": (f"{kind}.png", PNG, "image/png")}, headers=self.auth,
                name="customer: claim document upload",
            )  # fmt: skip
            if response.status_code != 201 and response.status_code != 200:
                return
            ids.append(int(response.json()["id"]))
        key = uuid.uuid4().hex
        today = datetime.now(UTC).date()
        body = {
            "insured_person_id": self.insured,
            "claim_type": "outpatient",
            "event_date": (today - timedelta(days=self.rng.randrange(1, 10))).isoformat(),
            "hospital": "上海市第一人民医院",
            "diagnoses": [{"icd10": "J06.9", "description": "急性上呼吸道感染"}],
            "bill_items": [
                {
                    "code": "outpatient", "description": "门诊费用", "amount": str(self.rng.randrange(100, 900)),
                    "social_insurance_paid": "0", "invoice_number": f"SOAK-{key[:16]}",
                }
            ],
            "social_insurance_settled": True,
            "account": ACCOUNT,
            "document_ids": ids,
        }  # fmt: skip
        self.client.post(
            f"/api/v1/households/{self.household}/claims", json=body,
            headers={**self.auth, "Idempotency-Key": f"soak-{key}"}, name="customer: claim submission",
        )  # fmt: skip


class Staff(HttpUser):
    weight = 3
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.rng = random.Random()
        self.service = _token(self, "service", FIXTURES["demo_password"])
        self.claims = _token(self, "claims", FIXTURES["demo_password"])
        self.underwriter = _token(self, "underwriter", FIXTURES["demo_password"])

    def _search(self, query: str, name: str) -> None:
        with self.client.get(
            "/api/v1/households/search", params={"q": query}, headers=self.service, name=name, catch_response=True
        ) as response:
            if response.status_code != 200 or not response.json():
                response.failure(f"status {response.status_code}, nothing found")

    @task(4)
    def search_id(self) -> None:
        self._search(self.rng.choice(FIXTURES["id_numbers"]), "staff: search by ID number")

    @task(4)
    def search_phone(self) -> None:
        self._search(self.rng.choice(FIXTURES["phones"]), "staff: search by phone")

    @task(1)
    def claims_queue(self) -> None:
        self.client.get("/api/v1/claims-queue", headers=self.claims, name="staff: claims queue")

    @task(1)
    def referrals(self) -> None:
        self.client.get("/api/v1/underwriting/referrals", headers=self.underwriter, name="staff: referral queue")


class Partner(HttpUser):
    weight = 1
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.rng = random.Random()
        self.auth = _token(self, "partner", FIXTURES["demo_password"])

    @task
    def served(self) -> None:
        offset = self.rng.randrange(0, max(1, FIXTURES["partner_households"] - 50))
        response = self.client.get(
            "/api/v1/households", params={"limit": 50, "offset": offset}, headers=self.auth,
            name="partner: households served",
        )  # fmt: skip
        rows = response.json() if response.status_code == 200 else []
        if rows:
            household = self.rng.choice(rows)["id"]
            self.client.get(f"/api/v1/households/{household}", headers=self.auth, name="partner: one household")
