"""Liveness and readiness probes."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from services.api.deps import SettingsDep, StoreDep
from services.api.problems import PROBLEM_JSON, Problem, problem_responses

router = APIRouter(tags=["health"])

ENRICH_WORKERS = "enrich"


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    redis: bool
    enrich_workers: int


@router.get("/healthz", response_model=Health, summary="The API process is alive")
def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Readiness,
    responses=problem_responses(503),
    summary="Redis answers and an enrich worker is alive",
)
def readyz(store: StoreDep, settings: SettingsDep) -> Readiness | JSONResponse:
    redis_ok = store.ping()
    workers = (
        len(store.live_workers(ENRICH_WORKERS, settings.worker_heartbeat_seconds))
        if redis_ok
        else 0
    )
    if redis_ok and workers:
        return Readiness(status="ready", redis=True, enrich_workers=workers)
    reasons = [] if redis_ok else ["Redis does not answer"]
    if redis_ok and not workers:
        reasons.append("no enrich worker is alive")
    problem = Problem(title="Not ready", status=503, detail="; ".join(reasons), instance="/readyz")
    return JSONResponse(
        problem.model_dump(exclude_none=True), status_code=503, media_type=PROBLEM_JSON
    )
