"""Liveness and readiness probes."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from services.api.deps import BusDep, SettingsDep, StoreDep
from services.api.problems import PROBLEM_JSON, Problem, problem_responses

router = APIRouter(tags=["health"])

ENRICH_WORKERS = "enrich"


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    redis: bool
    database: bool
    enrich_workers: int


@router.get("/healthz", response_model=Health, summary="The API process is alive")
def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Readiness,
    responses=problem_responses(503),
    summary="The database and Redis answer and an enrich worker is alive",
)
def readyz(store: StoreDep, bus: BusDep, settings: SettingsDep) -> Readiness | JSONResponse:
    database_ok = store.ping()
    redis_ok = bus.ping()
    workers = (
        len(bus.live_workers(ENRICH_WORKERS, settings.worker_heartbeat_seconds)) if redis_ok else 0
    )
    if database_ok and redis_ok and workers:
        return Readiness(status="ready", redis=True, database=True, enrich_workers=workers)
    reasons = [] if database_ok else ["the database does not answer"]
    if not redis_ok:
        reasons.append("Redis does not answer")
    if redis_ok and not workers:
        reasons.append("no enrich worker is alive")
    problem = Problem(title="Not ready", status=503, detail="; ".join(reasons), instance="/readyz")
    return JSONResponse(
        problem.model_dump(exclude_none=True), status_code=503, media_type=PROBLEM_JSON
    )
