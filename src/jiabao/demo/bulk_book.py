"""The book in force of a bulk-seeded household (pure: no database): which products the family holds, priced by the
products' own quoting engine and laid out as the issuance writes them (application, insureds, policy, beneficiary
designation, first premium, every instalment, return visit).

Premiums come from :func:`jiabao.products.quoting.quote_household` — the engine behind every quote, application and
policy — memoised per (product, frequency, payment term, cover option, each insured's age, sex, relation, sum assured
and options, and the main product a rider is quoted with), so the figures are the platform's own.

Issue dates lie in the past, within one premium period of today (annual: 330 days, semi-annual 150, quarterly 75,
monthly 25), so the first instalment — paid by the first premium payment — is the only one due so far, as it is for
a policy the issuance just wrote; the rest of the schedule is exactly what ``policies.issuance`` writes. Underwriting
is recorded as standard (``decided``), without a stored decision.

Every first premium is in the household ledger as the issuance posts it: one ``premium_received`` journal
(``payment:<id>``) with the ledger engine's balanced entries (:func:`premium_journal`), so the daily reconciliation,
the family statement and the partner commission run read a bulk-seeded book as they read an issued one.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache, lru_cache
from itertools import accumulate
from typing import Any

from jiabao.actuarial.tables import Sex as TableSex
from jiabao.core.idempotency import scoped_key
from jiabao.core.pii import PiiCipher, mask_bank_card
from jiabao.core.validation.bank_card import luhn_check_digit
from jiabao.core.validation.dates import age_on
from jiabao.ledger import engine as ledger
from jiabao.policies.common.payments import ACCOUNT_COLUMN
from jiabao.policies.rules import return_visit as rv
from jiabao.policies.rules.cooling_off import cooling_off_period
from jiabao.policies.rules.cover import cover_end, cover_years_option, term_months
from jiabao.policies.rules.schedule import Frequency as ScheduleFrequency
from jiabao.policies.rules.schedule import due_date, instalment_count
from jiabao.products.catalog import Catalog
from jiabao.products.limits import MemberRequest, ProductSelection, QuoteRefused, death_cover
from jiabao.products.quoting import MODAL_FACTORS, LineQuote, money, quote_household
from jiabao.products.schema import Frequency, MultiStatePricing, Product
from jiabao.products.service import ProductEngine

FREQUENCY_WEIGHTS = {Frequency.ANNUAL: 70, Frequency.MONTHLY: 15, Frequency.SEMI_ANNUAL: 8, Frequency.QUARTERLY: 7}
ISSUED_WITHIN_DAYS = {Frequency.ANNUAL: 330, Frequency.SEMI_ANNUAL: 150, Frequency.QUARTERLY: 75, Frequency.MONTHLY: 25}
AMOUNT_LADDER = (1_200, 5_000, 12_000, 20_000, 50_000, 100_000, 200_000, 300_000, 500_000, 1_000_000, 2_000_000)
CHANNELS = ("online", "agent", "agent", "bank", "telesales")


@dataclass(frozen=True)
class Insurable:
    """One household member as the book sees them: ids and the facts pricing needs."""

    person_id: int
    name: str
    birth_date: date
    sex: str
    relation: str  # self | spouse | child | parent | other
    social_insurance: bool
    occupation_class: int | None


@dataclass(frozen=True)
class MainCover:
    """The main product a rider is sold with (its own policy), as the rider's quote includes it."""

    product: str
    sum_assured: Decimal
    payment_term: int
    coverage: int | None
    frequency: Frequency

    def json(self) -> dict[str, Any]:
        return {
            "product": self.product, "sum_assured": str(self.sum_assured), "payment_term": self.payment_term,
            "coverage": self.coverage, "frequency": self.frequency.value,
        }  # fmt: skip


@dataclass(frozen=True)
class Purchase:
    product: str
    insureds: tuple[int, ...]  # indexes into the household's members
    amounts: tuple[Decimal, ...]
    frequency: Frequency
    payment_term: int
    coverage: int | None
    payout_age: int | None
    issue_date: date
    main: MainCover | None = None  # a rider is quoted with its main product, as the quoting engine requires


@dataclass
class BookRows:
    """Rows per table, as tuples in the column order of :data:`COLUMNS`."""

    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=lambda: defaultdict(list))
    policies: int = 0


COLUMNS: dict[str, tuple[str, ...]] = {
    "applications": (
        "id", "household_id", "policyholder_person_id", "product_code", "product_version", "channel", "status",
        "frequency", "payment_term", "coverage", "annual_premium", "instalment", "basis", "quote", "details",
        "created_by", "created_at", "updated_at",
    ),
    "application_insureds": (
        "id", "application_id", "person_id", "sum_assured", "annual_premium", "uw_status", "conclusion", "decision_id",
        "standard_premium", "extra_premium_percent", "flat_extra", "flat_extra_years", "exclusions",
        "declared_death_cover",
    ),
    "policies": (
        "id", "policy_no", "application_id", "household_id", "policyholder_person_id", "product_code",
        "product_version", "channel", "status", "issued_at", "effective_date", "received_on", "cooling_off_end",
        "frequency", "payment_term", "cover_years", "annual_premium", "instalment", "basis", "premium_waived_from",
        "suspended_on", "reinstated_on", "ended_on", "end_reason", "details", "updated_at",
    ),
    "policy_insureds": (
        "id", "policy_id", "person_id", "sum_assured", "annual_premium", "conclusion", "decision_id", "start_date",
        "end_date", "status", "standard_premium", "extra_premium_percent", "flat_extra", "flat_extra_years",
        "exclusions",
    ),
    "beneficiary_designations": (
        "id", "policy_id", "insured_person_id", "version", "legal_heirs", "beneficiaries", "effective_at",
        "insured_consent", "service_request_id",
    ),
    "payments": (
        "id", "idempotency_key", "kind", "direction", "application_id", "policy_id", "amount", "account_enc",
        "account_masked", "holder_person_id", "status", "created_at", "details",
    ),
    "instalments": ("id", "policy_id", "seq", "due_date", "amount", "paid_on", "payment_id", "waived"),
    "ledger_journals": (
        "id", "household_id", "movement", "source", "occurred_on", "posted_at", "policy_id", "person_id", "payment_id",
        "memo",
    ),
    "ledger_entries": ("id", "journal_id", "household_id", "account", "policy_id", "fen"),
    "partner_attributions": (
        "id", "subject", "subject_id", "household_id", "selling_partner_id", "servicing_partner_id", "recorded_at",
    ),
    "return_visits": (
        "id", "policy_id", "status", "elderly", "due_on", "code_hash", "code_expires_at", "attempts", "verified_at",
        "completed_at", "answers", "outcome", "created_at",
    ),
}  # fmt: skip
MONEY_COLUMNS = {
    "annual_premium", "instalment", "sum_assured", "standard_premium", "flat_extra", "declared_death_cover", "amount",
}  # fmt: skip


class Fen(int):
    """Money already converted to integer fen (the database's representation of ``Fen`` columns)."""


def fen(value: Decimal | None) -> Fen | None:
    return None if value is None else Fen(int((value * 100).to_integral_value()))


Priced = tuple[LineQuote, str]
"""A priced line and its JSON (as the stored quote holds it)."""


class BookPricer:
    """The quoting engine, memoised: the same request is priced once per process.

    Lines of a product without family pricing are independent of each other (each insured's premium and cash values
    come from their own row of the pricing batch), so they are memoised per insured; a family product (spouse
    benefit, family waiver) is priced and memoised as the whole group."""

    def __init__(self, engine: ProductEngine, as_of: date) -> None:
        self.engine, self.as_of = engine, as_of
        self._cache: dict[tuple[Any, ...], tuple[Priced, ...] | None] = {}
        self._cells: dict[tuple[Any, ...], tuple[Priced, ...] | None] = {}
        self._totals: dict[int, tuple[tuple[Priced, ...], Totals]] = {}
        self.calls = 0

    def _request(
        self, purchase: Purchase, member: Insurable, position: int, amount: Decimal, held: Decimal
    ) -> MemberRequest:
        catalog: Catalog = self.engine.catalog
        product = catalog.products[purchase.product]
        selection = ProductSelection(
            product_code=product.code,
            sum_assured=amount,
            coverage=purchase.coverage,
            payment_term=purchase.payment_term,
            frequency=purchase.frequency,
            social_insurance=member.social_insurance if product.medical else None,
            occupation_class=(member.occupation_class or 1) if product.occupation_classes else None,
            payout_age=purchase.payout_age,
            # a product rated by health (the pension annuity's 标准体/次标准体) is sold here at standard rates
            health_rating="standard" if _rated_by_health(product) else None,
        )
        selections = [selection]
        if purchase.main:
            selections = [main_selection(purchase.main), selection]
        age = age_on(member.birth_date, purchase.issue_date)
        return MemberRequest(
            member_id=str(position),
            age=age,
            sex=TableSex(member.sex),
            relation=member.relation,
            selections=selections,
            death_cover_held=held if age < 18 else Decimal(0),  # the cap concerns minors only
        )

    def totals(self, lines: tuple[Priced, ...]) -> Totals:
        """:func:`totals` of memoised lines, computed once per lines."""
        held = self._totals.get(id(lines))
        if held is not None and held[0] is lines:
            return held[1]
        sums = totals(lines)
        self._totals[id(lines)] = (lines, sums)
        return sums

    def trim(self, limit: int = 50_000) -> None:
        """Forget everything once more than ``limit`` requests are memoised (a family group rarely recurs, so a
        long run would otherwise grow without bound); results are the engine's either way."""
        if len(self._cache) + len(self._cells) > limit:
            self._cache.clear()
            self._cells.clear()
            self._totals.clear()

    @staticmethod
    def _key(product: Product, requests: list[MemberRequest], family: bool) -> tuple[Any, ...]:
        return (
            product.code,
            tuple(
                (r.age, r.sex, r.relation if family else "", r.death_cover_held,
                 tuple(s.model_dump_json() for s in r.selections))
                for r in requests
            ),
        )  # fmt: skip

    def _quote(self, product: Product, requests: list[MemberRequest], family: bool) -> tuple[Priced, ...] | None:
        key = self._key(product, requests, family)
        if key in self._cache:
            return self._cache[key]
        self.calls += 1
        try:
            quote = quote_household(
                members=requests, catalog=self.engine.catalog, tables=self.engine.tables, as_of=self.as_of,
                new_business=False,
            )  # fmt: skip
            priced: tuple[Priced, ...] | None = tuple(
                (line, json.dumps(_line_json(line), ensure_ascii=False, separators=(",", ":")))
                for m in quote.members
                for line in m.lines
                if line.product_code == product.code
            )
        except QuoteRefused:
            priced = None
        self._cache[key] = priced
        return priced

    def _cell(
        self, product: Product, purchase: Purchase, members: list[Insurable], held: dict[int, Decimal]
    ) -> tuple[Any, ...]:
        return (
            purchase.product, purchase.frequency, purchase.payment_term, purchase.coverage, purchase.payout_age,
            purchase.main,
            tuple(
                _insured_cell(product, members[index], purchase.issue_date, amount, held.get(index, Decimal(0)))
                for index, amount in zip(purchase.insureds, purchase.amounts, strict=True)
            ),
        )  # fmt: skip

    def prefetch(self, books: list[tuple[list[Insurable], list[Purchase]]], batch: int = 256) -> None:
        """Price, in one engine call per product (and per ``batch`` insureds), every insured line of these
        households' purchases that is not memoised yet — the engine prices a batch row by row, each insured from
        their own row, as it does for a household's members — and memoise each line under the key a single
        request would have. Family products are priced as a group and stay with :meth:`price`.

        The death cover a minor already holds is taken as if every earlier purchase of the household were
        accepted; a purchase the engine then refuses changes the next requests, which :meth:`price` prices on its
        own. An insured the engine refuses in a batch is memoised as refused (the limits are checked per insured)
        and the batch priced again without them."""
        catalog = self.engine.catalog
        pending: dict[str, dict[tuple[Any, ...], MemberRequest]] = defaultdict(dict)
        for members, purchases in books:
            held: dict[int, Decimal] = defaultdict(Decimal)
            for purchase in purchases:
                product = catalog.products[purchase.product]
                if product.family is None and self._cell(product, purchase, members, held) not in self._cells:
                    for index, amount in zip(purchase.insureds, purchase.amounts, strict=True):
                        request = self._request(purchase, members[index], 0, amount, held.get(index, Decimal(0)))
                        key = self._key(product, [request], family=False)
                        if key not in self._cache:
                            pending[product.code][key] = request
                for index, amount in zip(purchase.insureds, purchase.amounts, strict=True):
                    held[index] += death_cover(product, amount)
        for code, requests in pending.items():
            items = list(requests.items())
            for start in range(0, len(items), batch):
                self._price_batch(catalog.products[code], items[start : start + batch])

    def _price_batch(self, product: Product, part: list[tuple[tuple[Any, ...], MemberRequest]]) -> None:
        keys = {str(i): key for i, (key, _) in enumerate(part)}
        members = [r.model_copy(update={"member_id": str(i)}) for i, (_, r) in enumerate(part)]
        while members:
            self.calls += 1
            try:
                quote = quote_household(
                    members=members, catalog=self.engine.catalog, tables=self.engine.tables, as_of=self.as_of,
                    new_business=False,
                )  # fmt: skip
            except QuoteRefused as refused:
                if refused.member_id not in keys:
                    return  # not an insured's own limit: left to single requests
                self._cache[keys[refused.member_id]] = None
                members = [m for m in members if m.member_id != refused.member_id]
                continue
            for member in quote.members:
                key = keys[member.member_id]
                self._cache[key] = tuple(
                    (line, json.dumps(_line_json(line), ensure_ascii=False, separators=(",", ":")))
                    for line in (replace(x, member_id="0") for x in member.lines)
                    if line.product_code == product.code
                )
            return

    def price(
        self, purchase: Purchase, members: list[Insurable], held: dict[int, Decimal]
    ) -> tuple[Priced, ...] | None:
        """Every insured's line, or None when the engine refuses any of them (the application would be refused).

        Memoised first on the cell — the product, its options and, per insured, exactly the facts the request is
        built from (age on the issue date, sex, the relation for a family product, social insurance for a medical
        one, the occupation class where it rates, the death cover held by a minor) — so a cell seen before costs
        no request objects, no serialisation and no engine call."""
        product = self.engine.catalog.products[purchase.product]
        cell = self._cell(product, purchase, members, held)
        if cell in self._cells:
            return self._cells[cell]
        priced = self._price(product, purchase, members, held)
        self._cells[cell] = priced
        return priced

    def _price(
        self, product: Product, purchase: Purchase, members: list[Insurable], held: dict[int, Decimal]
    ) -> tuple[Priced, ...] | None:
        requests = [
            self._request(purchase, members[index], position, amount, held.get(index, Decimal(0)))
            for position, (index, amount) in enumerate(zip(purchase.insureds, purchase.amounts, strict=True))
        ]
        if product.family is not None:
            return self._quote(product, requests, family=True)
        out: list[Priced] = []
        for request in requests:
            one = self._quote(product, [request.model_copy(update={"member_id": "0"})], family=False)
            if one is None:
                return None
            out += one
        return tuple(out)


def _insured_cell(product: Product, member: Insurable, issue: date, amount: Decimal, held: Decimal) -> tuple[Any, ...]:
    """What one insured contributes to a request (see :meth:`BookPricer._request`), and nothing else."""
    age = age_on(member.birth_date, issue)
    return (
        age, member.sex, member.relation if product.family is not None else "", amount,
        member.social_insurance if product.medical else None,
        (member.occupation_class or 1) if product.occupation_classes else None,
        held if age < 18 else Decimal(0),
    )  # fmt: skip


def main_selection(main: MainCover) -> ProductSelection:
    return ProductSelection(
        product_code=main.product, sum_assured=main.sum_assured, coverage=main.coverage,
        payment_term=main.payment_term, frequency=main.frequency,
    )  # fmt: skip


def _rated_by_health(product: Product) -> bool:
    pricing = product.pricing
    return isinstance(pricing, MultiStatePricing) and bool(pricing.mortality_multipliers)


def _amount(product: Product, rng: random.Random, minor: bool) -> Decimal:
    top = product.amounts.max_minor if minor and product.amounts.max_minor else product.amounts.max
    ladder = _ladder(product.amounts.min, product.amounts.step, top)
    return rng.choice(ladder) if ladder else Decimal(product.amounts.min).quantize(Decimal("0.01"))


@cache
def _ladder(low: Any, step: Any, top: Any) -> tuple[Decimal, ...]:
    ladder = [Decimal(a) for a in AMOUNT_LADDER if low <= a <= top and (a - low) % step == 0]
    if len(ladder) > 3:  # three typical amounts per product keep the memoised quotes few
        ladder = [ladder[0], ladder[len(ladder) // 2], ladder[-1]]
    return tuple(a.quantize(Decimal("0.01")) for a in ladder)


def _eligible(product: Product, members: list[Insurable], indexes: list[int], on: date) -> list[int]:
    return [i for i in indexes if product.ages.min_age <= age_on(members[i].birth_date, on) <= product.ages.max_age]


_SHELVES: dict[int, tuple[Catalog, list[tuple[str, Product, list[Frequency], list[int], list[str]]]]] = {}


def _shelf(catalog: Catalog) -> list[tuple[str, Product, list[Frequency], list[int], list[str]]]:
    """The catalog as :func:`choose_purchases` walks it, built once per catalog: each product in code order with its
    frequencies, their cumulative weights (``choices(cum_weights=...)`` draws exactly as ``choices(weights)``
    does) and its riders."""
    cached = _SHELVES.get(id(catalog))
    if cached is not None and cached[0] is catalog:
        return cached[1]
    shelf = []
    for code in sorted(catalog.products):
        product = catalog.products[code]
        frequencies = list(product.payment.frequencies)
        riders = sorted(c for c, p in catalog.products.items() if code in (p.rider_of or []))
        shelf.append((code, product, frequencies, list(accumulate(FREQUENCY_WEIGHTS[f] for f in frequencies)), riders))
    _SHELVES[id(catalog)] = (catalog, shelf)
    return shelf


def choose_purchases(
    catalog: Catalog, members: list[Insurable], rng: random.Random, today: date, featured: str | None
) -> list[Purchase]:
    """What a household holds: each product with its own take-up, plus the ``featured`` product (the first
    households of every chunk take the catalog round-robin, so every product is in force even in a small book)."""
    take_up = {
        "family_ci": 0.10, "family_term_life": 0.08, "whole_life": 0.05, "children_ci": 0.12, "long_term_care": 0.03,
        "ltc_ci_wholelife": 0.02, "medical_million": 0.18, "outpatient_medical": 0.06, "accident": 0.08,
        "pension_annuity": 0.04, "senior_accident": 0.15, "senior_cancer": 0.05, "accident_rider": 0.0,
    }  # fmt: skip
    everyone = list(range(len(members)))
    adults = [i for i in everyone if members[i].relation in ("self", "spouse")]
    children = [i for i in everyone if members[i].relation == "child"]
    groups = {
        "family_ci": [i for i in everyone if members[i].relation in ("self", "spouse", "child")],
        "family_term_life": adults,
        "children_ci": children,
        "medical_million": everyone,
        "outpatient_medical": everyone,
        "senior_accident": everyone,
        "senior_cancer": everyone,
    }
    out: list[Purchase] = []
    shelf = _shelf(catalog)
    for code, product, frequencies, cum_weights, riders in shelf:
        if product.rider_of or (code != featured and rng.random() >= take_up.get(code, 0.05)):
            continue
        frequency = rng.choices(frequencies, cum_weights=cum_weights)[0]
        issue = today - timedelta(days=rng.randrange(0, ISSUED_WITHIN_DAYS[frequency] + 1))
        insureds = _eligible(product, members, groups.get(code, [0]), issue)
        if product.family is not None:
            insureds = insureds[: product.family.max_members]
        elif code in ("senior_accident", "senior_cancer"):
            insureds = insureds[:2]
        if not insureds:
            continue
        options: list[int | None] = list(product.coverage.options) or [None]
        purchase = Purchase(
            product=code,
            insureds=tuple(insureds),
            amounts=tuple(_amount(product, rng, age_on(members[i].birth_date, issue) < 18) for i in insureds),
            frequency=frequency,
            payment_term=rng.choice(list(product.payment.terms)),
            coverage=rng.choice(options),
            payout_age=rng.choice(list(product.payout_ages)) if product.payout_ages else None,
            issue_date=issue,
        )
        out.append(purchase)
        for rider in riders:
            if rng.random() < 0.5 or rider == featured:
                rider_product = catalog.products[rider]
                head = _eligible(rider_product, members, [purchase.insureds[0]], issue)
                if head and rider_product.payment.terms:
                    out.append(
                        Purchase(
                            product=rider, insureds=tuple(head), amounts=(_amount(rider_product, rng, False),),
                            frequency=Frequency.ANNUAL, payment_term=1, coverage=None, payout_age=None,
                            issue_date=issue, main=MainCover(
                                code, purchase.amounts[0], purchase.payment_term, purchase.coverage,
                                purchase.frequency,
                            ),
                        )
                    )  # fmt: skip
    return out


def _line_json(line: LineQuote) -> dict[str, Any]:
    return {
        "product_code": line.product_code,
        "product_version": line.product_version,
        "name_zh": line.name_zh,
        "name_en": line.name_en,
        "sum_assured": str(line.sum_assured),
        "cover_years": line.cover_years,
        "payment_term": line.payment_term,
        "frequency": line.frequency.value,
        "annual_premium": str(line.annual_premium),
        "instalment": str(line.instalment),
        "modal_premiums": {f.value: str(v) for f, v in line.modal_premiums.items()},
        "basis": line.basis,
        "cash_values": [
            {"policy_year": r.policy_year, "age": r.age, "cash_value": str(r.cash_value)} for r in line.cash_values
        ],
    }


class RawJson(str):
    """JSON text already serialised (written to the database as is)."""


EMPTY_LIST, EMPTY_OBJECT = RawJson("[]"), RawJson("{}")
VISIT_PASSED = RawJson('{"result":"passed","seeded":"bulk"}')


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Totals:
    """What a priced purchase adds up to (the same for every household holding the same lines)."""

    annual: Decimal
    instalment: Decimal
    basis: str
    quote_tail: str
    """The stored quote's JSON after its members: totals, chosen instalments and bases."""


def totals(lines: tuple[Priced, ...]) -> Totals:
    total = sum((line.annual_premium for line, _ in lines), Decimal("0.00"))
    chosen: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for line, _ in lines:
        chosen[line.frequency.value] += line.instalment
    rest = {
        "annual_premium": str(total),
        "totals_by_frequency": {
            f.value: str(sum((money(x.annual_premium * MODAL_FACTORS[f]) for x, _ in lines), Decimal("0.00")))
            for f in Frequency
        },
        "chosen_instalments": {k: str(v) for k, v in chosen.items()},
        "bases": sorted({line.basis for line, _ in lines}),
    }
    return Totals(
        annual=total,
        instalment=sum((line.instalment for line, _ in lines), Decimal("0.00")),
        basis=sorted({line.basis for line, _ in lines})[0],
        quote_tail=_dumps(rest)[1:],
    )


def quote_json(
    household_id: int, issue: date, insured: list[Insurable], lines: tuple[Priced, ...], sums: Totals | None = None
) -> RawJson:
    """The stored quote, as the JSON of ``products.service.quote(...).model_dump(mode="json")``."""
    tail = (sums or totals(lines)).quote_tail
    members = ",".join(
        f'{{"person_id":{m.person_id},"name":{_dumps(m.name)},"age":{age_on(m.birth_date, issue)},'
        f'"lines":[{text}],"annual_premium":"{line.annual_premium}"}}'
        for m, (line, text) in zip(insured, lines, strict=True)
    )
    return RawJson(f'{{"household_id":{household_id},"as_of":"{issue.isoformat()}","members":[{members}],{tail}')


def bank_card(rng: random.Random) -> str:
    body = "62" + "".join(str(rng.randrange(10)) for _ in range(15))
    return body + luhn_check_digit(body)


@lru_cache(maxsize=65_536)
def schedule(issue: date, frequency: str, payment_term: int) -> tuple[date, ...]:
    """Every instalment's due date, as ``policies.issuance`` writes them (memoised: the same issue date, frequency
    and payment term recur across a book)."""
    every = ScheduleFrequency(frequency)
    return tuple(due_date(issue, every, i) for i in range(instalment_count(payment_term, every)))


@dataclass
class IdCursor:
    """The next id of each table inside this chunk's ranges."""

    next: dict[str, int]

    def take(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value


def household_book(
    *,
    household_id: int,
    members: list[Insurable],
    purchases: list[Purchase],
    pricer: BookPricer,
    cipher: PiiCipher,
    ids: IdCursor,
    rng: random.Random,
    now: datetime,
    channel: str,
    out: BookRows,
    seller: int | None = None,
) -> None:
    """Price and lay out every purchase of one household as the issuance writes it — with the first premium's
    ledger journal (:func:`premium_journal`) and, for a policy sold by a network partner (``seller``: its
    ``partners`` id), the application's attribution as ``partners.service.on_application_started`` records it."""
    catalog = pricer.engine.catalog
    held: dict[int, Decimal] = defaultdict(Decimal)
    head = members[0]
    account = bank_card(rng)
    for purchase in purchases:
        product = catalog.products[purchase.product]
        lines = pricer.price(purchase, members, held)
        if lines is None:
            continue
        for index, amount in zip(purchase.insureds, purchase.amounts, strict=True):
            held[index] += death_cover(product, amount)
        issue = purchase.issue_date
        issued_at = datetime.combine(issue, time(2, 0), tzinfo=now.tzinfo) + timedelta(minutes=rng.randrange(600))
        insured = [members[i] for i in purchase.insureds]
        sums = pricer.totals(lines)
        quote = quote_json(household_id, issue, insured, lines, sums)
        annual, instalment, basis = sums.annual, sums.instalment, sums.basis
        app_id, policy_id, payment_id = ids.take("applications"), ids.take("policies"), ids.take("payments")
        details: dict[str, Any] = {
            "consents": [],
            "advice_overridden": [],
            "disclosures_acknowledged_at": issued_at.isoformat(),
            "beneficiaries": {},
            "seeded": "bulk",
        }
        if purchase.payout_age is not None:
            details["payout_age"] = purchase.payout_age
        if purchase.main:
            details["main_cover"] = purchase.main.json()  # the rider was quoted with it
        details_text = _dumps(details)
        coverage = cover_years_option(product.coverage.kind, purchase.coverage)
        out.rows["applications"].append(
            (app_id, household_id, head.person_id, product.code, product.version, channel, "issued",
             purchase.frequency.value, purchase.payment_term, coverage, fen(annual), fen(instalment), basis, quote,
             RawJson(details_text), None, issued_at, issued_at)
        )  # fmt: skip
        ends: list[date | None] = []
        for member, (line, _) in zip(insured, lines, strict=True):
            out.rows["application_insureds"].append(
                (ids.take("application_insureds"), app_id, member.person_id, fen(line.sum_assured),
                 fen(line.annual_premium), "decided", "standard", None, fen(line.annual_premium), 0, fen(Decimal(0)),
                 None, EMPTY_LIST, None)
            )  # fmt: skip
            end = cover_end(product.coverage.kind, coverage, start=issue, birth_date=member.birth_date)
            ends.append(end)
            out.rows["policy_insureds"].append(
                (ids.take("policy_insureds"), policy_id, member.person_id, fen(line.sum_assured),
                 fen(line.annual_premium), "standard", None, issue, end, "active", fen(line.annual_premium), 0,
                 fen(Decimal(0)), None, EMPTY_LIST)
            )  # fmt: skip
            out.rows["beneficiary_designations"].append(
                (ids.take("beneficiary_designations"), policy_id, member.person_id, 1, True, EMPTY_LIST, issued_at,
                 True, None)
            )  # fmt: skip
        period = cooling_off_period(issue, days=product.free_look_days)
        out.rows["policies"].append(
            (policy_id, f"P{issue:%Y%m%d}{app_id:08d}", app_id, household_id, head.person_id, product.code,
             product.version, channel, "in_force", issued_at, issue, issue, period.last_day, purchase.frequency.value,
             purchase.payment_term, coverage, fen(annual), fen(instalment), basis, None, None, EMPTY_LIST, None, None,
             RawJson(f'{{"quote":{quote},{details_text[1:]}'), issued_at)
        )  # fmt: skip
        out.rows["payments"].append(
            (payment_id, scoped_key(household_id, f"bulk-seed-{policy_id}"), "first_premium", "in", app_id, policy_id,
             fen(instalment), cipher.encrypt(ACCOUNT_COLUMN, account), mask_bank_card(account), head.person_id,
             "succeeded", issued_at, RawJson(_dumps({"channel": channel})))
        )  # fmt: skip
        due_amount = fen(instalment)
        rows = out.rows["instalments"]
        first = ids.next["instalments"]
        dues = schedule(issue, purchase.frequency.value, purchase.payment_term)
        for i, due in enumerate(dues):
            paid = i == 0
            rows.append(
                (first + i, policy_id, i + 1, due, due_amount, issue if paid else None,
                 payment_id if paid else None, False)
            )  # fmt: skip
        ids.next["instalments"] = first + len(dues)
        assert due_amount is not None
        premium_journal(
            out, ids, household_id=household_id, policy_id=policy_id, person_id=head.person_id, payment_id=payment_id,
            amount=due_amount, instalment_id=first, on=issue, at=issued_at,
        )  # fmt: skip
        if seller is not None:
            out.rows["partner_attributions"].append(
                (ids.take("partner_attributions"), "application", app_id, household_id, seller, seller, issued_at)
            )
        months = [term_months(issue, end) for end in ends]
        if rv.return_visit_required(None if None in months else max(m for m in months if m is not None)):
            due = rv.visit_deadline(issue, cooling_off_days=product.free_look_days).due
            done = period.last_day < now.date()
            completed = issued_at + timedelta(days=2) if done else None
            out.rows["return_visits"].append(
                (ids.take("return_visits"), policy_id, "passed" if done else "pending", False, due, None, None,
                 1 if done else 0, completed, completed, EMPTY_OBJECT, VISIT_PASSED if done else EMPTY_OBJECT,
                 issued_at)
            )  # fmt: skip
        out.policies += 1


PREMIUM_RECEIVED = ledger.Movement.PREMIUM_RECEIVED.value


def premium_journal(
    out: BookRows,
    ids: IdCursor,
    *,
    household_id: int,
    policy_id: int,
    person_id: int,
    payment_id: int,
    amount: int,
    instalment_id: int,
    on: date,
    at: datetime,
) -> None:
    """The ``premium_received`` journal and entries ``ledger.service.post_payment`` posts for a first premium
    ``payment_id`` of ``amount`` fen paying instalment ``instalment_id`` (no interest, nothing billed before): the
    ledger engine's own lines (:func:`jiabao.ledger.engine.received`), source ``payment:<id>``, value date the
    issue date, posted when the payment was made, memo ``{"instalments": [...], "kind": "first_premium"}``."""
    journal_id = ids.take("ledger_journals")
    out.rows["ledger_journals"].append(
        (journal_id, household_id, PREMIUM_RECEIVED, f"payment:{payment_id}", on, at, policy_id, person_id,
         payment_id, RawJson(f'{{"instalments":[{instalment_id}],"kind":"first_premium"}}'))
    )  # fmt: skip
    entries = out.rows["ledger_entries"]
    for line in ledger.received(amount, [ledger.Allocation(policy_id, amount)]):
        entries.append(
            (ids.take("ledger_entries"), journal_id, household_id, line.account.value, line.policy_id, Fen(line.fen))
        )
