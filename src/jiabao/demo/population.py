"""A plausible synthetic population (demo data): households of 1–7 members with valid ID numbers.

Pure generation (no database): the seeder turns these into rows. Deterministic for a given random seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate

from faker import Faker
from faker.providers.person.zh_CN import Provider as ZhPersonProvider

from jiabao.core.validation import generate_resident_id
from jiabao.family.enums import Relationship

# (address code, weight): real county-level codes across the seven regions.
REGION_CODES: tuple[tuple[str, int], ...] = (
    ("310115", 9), ("320106", 6), ("330106", 7), ("340104", 3), ("350203", 3), ("360102", 2), ("370202", 5),
    ("110105", 6), ("120101", 3), ("130102", 3), ("140105", 2), ("150102", 1),
    ("420106", 5), ("430104", 4), ("410105", 4),
    ("440305", 8), ("440106", 6), ("450103", 2), ("460106", 1),
    ("510107", 5), ("500103", 4), ("520102", 2), ("530102", 2),
    ("610113", 4), ("620102", 1), ("640104", 1), ("650102", 1),
    ("210102", 3), ("220102", 2), ("230103", 2),
)  # fmt: skip
OCCUPATIONS: tuple[tuple[str, int], ...] = (
    ("教师", 1), ("公司职员", 1), ("医生", 1), ("会计", 1), ("工程师", 1), ("公务员", 1), ("销售", 2),
    ("个体经营者", 2), ("快递员", 3), ("厨师", 2), ("司机", 3), ("建筑工人", 4), ("电工", 4), ("渔民", 5),
    ("矿工", 6), ("农民", 2), ("自由职业", 2), ("护士", 1), ("程序员", 1), ("保安", 3),
)  # fmt: skip


MALE_GIVEN: tuple[str, ...] = (
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "建国", "建军", "志强",
    "志明", "国强", "海涛", "俊杰", "浩然", "子轩", "宇航", "博文", "天佑", "文博", "立新", "家豪", "晓东", "振华",
    "德明", "永刚", "宏伟", "伟民", "嘉懿", "梓豪", "一鸣", "思远",
)  # fmt: skip
FEMALE_GIVEN: tuple[str, ...] = (
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "婷", "雪", "慧", "秀英", "桂英", "玉兰", "淑珍",
    "丽华", "晓红", "美玲", "雅婷", "欣怡", "梓涵", "诗涵", "思琪", "雨萱", "佳怡", "紫涵", "一诺", "可馨", "婉清",
    "海燕", "春梅", "秀兰", "红梅", "淑华", "金凤", "文静", "嘉欣", "若曦",
)  # fmt: skip
"""Given names by sex (issue 11, item 9): Faker's zh_CN male and female lists overlap, so a woman could be
called 伟 and a man 秀英; these lists keep names plausible for the recorded sex, old-fashioned and modern."""


@dataclass
class PersonSpec:
    name: str
    sex: str
    birth_date: date
    id_number: str
    relationship: Relationship
    phone: str | None
    region_code: str
    occupation: str | None = None
    occupation_class: int | None = None
    annual_income: Decimal | None = None
    social_insurance: bool = True
    retired: bool = False
    surname: str = ""
    """The surname kept apart from the name: compound surnames (欧阳, 司马) are two characters."""


@dataclass
class HouseholdSpec:
    region_code: str
    members: list[PersonSpec] = field(default_factory=list)


SURNAMES: tuple[str, ...] = tuple(ZhPersonProvider.last_names)
SURNAME_CUM_WEIGHTS: tuple[float, ...] = tuple(accumulate(ZhPersonProvider.last_names.values()))
"""Faker's zh_CN surnames and their frequencies, as a pool drawn from directly (the bulk loader's path)."""


class PopulationGenerator:
    def __init__(self, *, seed: int, today: date, surname_pool: bool = False) -> None:
        """``surname_pool`` draws surnames from :data:`SURNAMES` with the generator's own random source, with the
        same frequencies as Faker's but without a Faker instance per generator and its per-call overhead (the bulk
        loader builds a generator per chunk); the ordinary seeder keeps Faker's draws."""
        self.rng = random.Random(seed)
        self.faker: Faker | None = None
        if not surname_pool:
            self.faker = Faker("zh_CN")
            self.faker.seed_instance(seed)
        self.today = today
        self._codes = [c for c, _ in REGION_CODES]
        self._weights = [w for _, w in REGION_CODES]
        self._used_ids: set[str] = set()
        self._sequence: dict[tuple[str, date, str], int] = {}
        self._offset = self.rng.randrange(0, 400)

    def _birth(self, age: int) -> date:
        start = date(self.today.year - age - 1, self.today.month, 1) + timedelta(days=self.rng.randrange(2, 360))
        return start if start < self.today else self.today - timedelta(days=1)

    def _id_number(self, region: str, birth: date, sex: str) -> str:
        key = (region, birth, sex)
        while True:
            n = self._sequence.get(key, self._offset)
            self._sequence[key] = n + 1
            number = generate_resident_id(
                region_code=region, birth_date=birth, sex="M" if sex == "M" else "F", sequence=n % 500
            )
            if number not in self._used_ids:
                self._used_ids.add(number)
                return number

    def _phone(self) -> str:
        prefix = self.rng.choice(("138", "139", "136", "158", "186", "188", "135", "177", "199", "166", "150"))
        return prefix + f"{self.rng.randrange(0, 10**8):08d}"

    def _surname(self) -> str:
        if self.faker is None:
            return self.rng.choices(SURNAMES, cum_weights=SURNAME_CUM_WEIGHTS)[0]
        return str(self.faker.last_name())

    def person(self, rel: Relationship, age: int, sex: str, surname: str | None, region: str) -> PersonSpec:
        age = max(0, min(age, 100))
        birth = self._birth(age)
        last = surname or self._surname()
        first = self.rng.choice(MALE_GIVEN if sex == "M" else FEMALE_GIVEN)
        adult = age >= 18
        occupation, occ_class = self.rng.choice(OCCUPATIONS) if 18 <= age < 60 else (None, None)
        income = None
        if occupation:
            income = Decimal(int(self.rng.lognormvariate(11.2, 0.55))).quantize(Decimal(1))
        retire_age = 60 if sex == "M" else 55
        return PersonSpec(
            name=last + first,
            sex=sex,
            birth_date=birth,
            id_number=self._id_number(region, birth, sex),
            relationship=rel,
            phone=self._phone() if adult and self.rng.random() < 0.92 else None,
            region_code=region,
            occupation=occupation,
            occupation_class=occ_class,
            annual_income=income,
            social_insurance=self.rng.random() < 0.93,
            retired=age >= retire_age,
            surname=last,
        )

    def household(self) -> HouseholdSpec:
        rng = self.rng
        region = rng.choices(self._codes, self._weights)[0]
        head_age = int(min(82, max(23, rng.gauss(44, 13))))
        head_sex = "M" if rng.random() < 0.62 else "F"
        head = self.person(Relationship.SELF, head_age, head_sex, None, region)
        surname = head.surname
        spec = HouseholdSpec(region_code=region, members=[head])
        married = rng.random() < (0.35 if head_age < 28 else 0.82)
        if married:
            spouse_sex = "F" if head_sex == "M" else "M"
            spouse_age = max(22 if spouse_sex == "M" else 20, head_age + rng.randint(-4, 4))
            spec.members.append(self.person(Relationship.SPOUSE, spouse_age, spouse_sex, None, region))
        # Children take the father's surname (the head's, or the husband's when the head is the wife); a wife
        # keeps her own, as Chinese women do.
        father_surname = surname if head_sex == "M" or not married else spec.members[1].surname
        if married and head_age >= 26:
            for _ in range(rng.choices((0, 1, 2, 3), (18, 45, 30, 7))[0]):
                child_age = head_age - rng.randint(24, 36)
                if 0 <= child_age <= 30:
                    child_sex = rng.choice("MF")
                    spec.members.append(self.person(Relationship.CHILD, child_age, child_sex, father_surname, region))
        if head_age < 50 and rng.random() < 0.22:
            parent_age = head_age + rng.randint(24, 32)
            if parent_age <= 92:
                parent_sex = rng.choice("MF")
                parent_surname = surname if parent_sex == "M" else None  # the head's father shares the surname
                spec.members.append(self.person(Relationship.PARENT, parent_age, parent_sex, parent_surname, region))
        if head_age >= 55 and rng.random() < 0.15:
            # A son's child (the head's surname when the head is the grandfather).
            spec.members.append(
                self.person(Relationship.GRANDCHILD, head_age - rng.randint(50, 60), rng.choice("MF"),
                            surname if head_sex == "M" else None, region)
            )  # fmt: skip
        spec.members = spec.members[:7]
        return spec
