"""Loading and cross-checking a knowledge-base version (核保规则版本).

A version is a directory ``<root>/<version>/`` of YAML files. Loading validates each file against
:mod:`jiabao.underwriting.engine.schema`, then checks every cross-reference (question ids, answer codes,
exclusion codes, covered impairments). Decisions record ``version`` and ``digest`` (SHA-256 over the files),
so a past decision can be re-run on exactly the rules it used: insurers may not re-underwrite after a loss
with standards other than those applied at issue (CBIRC Order 2022 No. 9, regulation.md §1.7).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from threading import Lock
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from jiabao.underwriting.engine.codes import AnswerType
from jiabao.underwriting.engine.schema import (
    BaseQuestion,
    BaseQuestionFile,
    Category,
    Exclusion,
    ExclusionFile,
    FactorsFile,
    FamilyTermsFile,
    Impairment,
    ImpairmentFile,
    LimitsFile,
    LineOutcomes,
    Manifest,
    RatingFile,
    ReflexiveFile,
    ReflexiveQuestion,
    TextsFile,
)

DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "kb"
M = TypeVar("M", bound=BaseModel)


class KnowledgeBaseError(ValueError):
    """A knowledge-base file is missing or invalid; the message names the file and the field."""


@dataclass(frozen=True)
class KnowledgeBase:
    """One loaded, validated, immutable knowledge-base version."""

    manifest: Manifest
    digest: str
    impairments: dict[str, Impairment]
    categories: dict[str, Category]
    reflexive: dict[str, ReflexiveQuestion]
    exclusions: dict[str, Exclusion]
    base_questions: tuple[BaseQuestion, ...]
    factors: FactorsFile
    rating: RatingFile
    limits: LimitsFile
    family: FamilyTermsFile
    texts: TextsFile
    files: tuple[str, ...] = field(default=())

    @property
    def version(self) -> str:
        return self.manifest.version


def _read(path: Path, model: type[M]) -> M:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeBaseError(f"{path.name}: cannot read ({exc})") from exc
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(root)'}: {err['msg']}" for err in exc.errors()[:5]
        )
        raise KnowledgeBaseError(f"{path}: {problems}") from exc


def _digest(directory: Path, files: list[Path]) -> str:
    sha = hashlib.sha256()
    for path in files:
        sha.update(path.relative_to(directory).as_posix().encode())
        sha.update(b"\0")
        sha.update(path.read_bytes())
    return sha.hexdigest()


def load_version(directory: Path) -> KnowledgeBase:
    """Load and validate the knowledge-base version stored in ``directory``."""
    if not (directory / "manifest.yaml").is_file():
        raise KnowledgeBaseError(f"{directory}: no manifest.yaml")
    files = sorted(p for p in directory.rglob("*.yaml") if p.is_file())
    manifest = _read(directory / "manifest.yaml", Manifest)
    if manifest.version != directory.name:
        raise KnowledgeBaseError(f"{directory}/manifest.yaml: version {manifest.version} != directory name")
    impairments: dict[str, Impairment] = {}
    categories: dict[str, Category] = {}
    for path in sorted((directory / "impairments").glob("*.yaml")):
        chapter = _read(path, ImpairmentFile)
        for imp in chapter.impairments:
            if imp.code in impairments:
                raise KnowledgeBaseError(f"{path}: impairment {imp.code} defined twice")
            impairments[imp.code] = imp
            categories[imp.code] = chapter.category
    kb = KnowledgeBase(
        manifest=manifest,
        digest=_digest(directory, files),
        impairments=impairments,
        categories=categories,
        reflexive={q.id: q for q in _read(directory / "questions" / "reflexive.yaml", ReflexiveFile).questions},
        exclusions={e.code: e for e in _read(directory / "exclusions.yaml", ExclusionFile).exclusions},
        base_questions=_read(directory / "questions" / "base.yaml", BaseQuestionFile).questions,
        factors=_read(directory / "factors.yaml", FactorsFile),
        rating=_read(directory / "rating.yaml", RatingFile),
        limits=_read(directory / "limits.yaml", LimitsFile),
        family=_read(directory / "family_terms.yaml", FamilyTermsFile),
        texts=_read(directory / "texts.yaml", TextsFile),
        files=tuple(p.relative_to(directory).as_posix() for p in files),
    )
    problems = list(cross_check(kb))
    if problems:
        raise KnowledgeBaseError(f"{directory}: " + "; ".join(problems[:10]))
    return kb


def cross_check(kb: KnowledgeBase) -> Iterator[str]:
    """Every reference in the knowledge base points at something that exists."""
    for imp in kb.impairments.values():
        yield from _check_impairment(kb, imp)
    for question in kb.base_questions:
        for code in question.covers:
            if code not in kb.impairments:
                yield f"base question {question.id} covers unknown impairment {code}"
        if question.type is AnswerType.IMPAIRMENTS and not question.covers:
            yield f"base question {question.id} lists no conditions"
    for name, holder in _factor_outcomes(kb.factors):
        yield from _check_exclusions(kb, f"factor {name}", holder)


def _check_impairment(kb: KnowledgeBase, imp: Impairment) -> Iterator[str]:
    for qid in imp.questions:
        if qid not in kb.reflexive:
            yield f"{imp.code}: unknown reflexive question {qid}"
    for path in imp.paths:
        for qid, codes in path.when.items():
            if qid not in imp.questions:
                yield f"{imp.code}.{path.id}: condition on {qid}, which is not asked"
            elif unknown := set(codes) - set(kb.reflexive[qid].answer_codes()):
                yield f"{imp.code}.{path.id}: unknown answers {sorted(unknown)}"
        yield from _check_exclusions(kb, f"{imp.code}.{path.id}", path)


def _check_exclusions(kb: KnowledgeBase, where: str, outcomes: LineOutcomes) -> Iterator[str]:
    for name in ("death", "ci", "medical", "accident", "ltc", "annuity"):
        code = getattr(outcomes, name).exclusion
        if code is not None and code not in kb.exclusions:
            yield f"{where}.{name}: unknown exclusion {code}"


def _factor_outcomes(factors: FactorsFile) -> Iterator[tuple[str, LineOutcomes]]:
    for name in ("build", "lipids", "smoking"):
        for band in getattr(factors, name).bands:
            yield f"{name}.{band.code}", band
    for bp_band in factors.blood_pressure.bands:
        yield f"blood_pressure.{bp_band.code}", bp_band
    for name in ("alcohol", "occupation", "pursuits", "family_history"):
        for option in getattr(factors, name).options:
            yield f"{name}.{option.code}", option


class KnowledgeBaseStore:
    """All versions under one root directory, loaded on first use and cached (thread-safe)."""

    def __init__(self, root: Path = DEFAULT_ROOT) -> None:
        self.root = root
        self._cache: dict[str, KnowledgeBase] = {}
        self._lock = Lock()
        self._current: tuple[tuple[int, int], str] | None = None

    def versions(self) -> tuple[str, ...]:
        """Every version directory, oldest first."""
        found = [p.name for p in self.root.iterdir() if (p / "manifest.yaml").is_file()]
        return tuple(sorted(found, key=lambda v: tuple(int(x) for x in v.split("."))))

    def current_version(self) -> str:
        """The version named in ``<root>/versions.yaml`` (``current: 2025.1``). The file is parsed again only
        when it changed on disk (its modification time and size): a switch of version is seen at the next call,
        without parsing YAML on every request."""
        path = self.root / "versions.yaml"
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        cached = self._current
        if cached is not None and cached[0] == stamp:
            return cached[1]
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict) or not isinstance(raw.get("current"), str):
            raise KnowledgeBaseError(f"{self.root}/versions.yaml: 'current' must name a version")
        self._current = (stamp, str(raw["current"]))
        return self._current[1]

    def get(self, version: str | None = None) -> KnowledgeBase:
        """The given version (default: the current one)."""
        wanted = version or self.current_version()
        with self._lock:
            if wanted not in self._cache:
                directory = self.root / wanted
                if not directory.is_dir():
                    raise KnowledgeBaseError(f"{self.root}: no knowledge-base version {wanted}")
                self._cache[wanted] = load_version(directory)
            return self._cache[wanted]


_DEFAULT_STORE = KnowledgeBaseStore()


def load_knowledge_base(version: str | None = None, root: Path | None = None) -> KnowledgeBase:
    """Load a version from the packaged knowledge base (or from ``root``), cached per version."""
    if root is None:
        return _DEFAULT_STORE.get(version)
    return KnowledgeBaseStore(root).get(version)
