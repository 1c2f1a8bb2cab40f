"""The consular identification engine: find a person in the population register.

Pure Python (numpy, rapidfuzz, pyarrow for imports); it never imports Django, so it can be
used from the web application, a command or a notebook alike.

    store = RegisterStore("var/register")
    store.import_csv("register.csv")
    engine = Engine.open("var/register")
    engine.search(Query(first_name="Mohammed", last_name="El Idrissi", birth_date="1990"))
"""

from .batch import BatchInputError, format_candidates, identify_batch, query_from_row
from .engine import Candidate, Engine, FieldExplanation, Query
from .generate import generate_population, generate_queries, generate_register, make_queries
from .model import Model
from .store import ImportReport, RegisterImportError, RegisterStore


def _default_model_version() -> str:
    return Model.load().version


MODEL_VERSION = _default_model_version()

__all__ = [
    "MODEL_VERSION",
    "BatchInputError",
    "Candidate",
    "Engine",
    "FieldExplanation",
    "ImportReport",
    "Query",
    "RegisterImportError",
    "RegisterStore",
    "format_candidates",
    "generate_population",
    "generate_queries",
    "generate_register",
    "identify_batch",
    "make_queries",
    "query_from_row",
]
