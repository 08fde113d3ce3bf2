from digigov.onestop.models.applications import (
    CLOCK_RUNNING,
    OPEN_STATUSES,
    Application,
    ApplicationMaterial,
    ApplicationStatus,
    ApplicationTransition,
    DeadlineFlag,
    IdempotencyKey,
)
from digigov.onestop.models.bundles import Bundle, BundleApplication, BundleItem
from digigov.onestop.models.catalogue import (
    ApplicantKind,
    HandlingScope,
    ItemType,
    OnlineLevel,
    RequiredMaterial,
    ServiceItem,
)
from digigov.onestop.models.ratings import Rating, RectificationStatus, RectificationTask

__all__ = [
    "CLOCK_RUNNING",
    "OPEN_STATUSES",
    "ApplicantKind",
    "Application",
    "ApplicationMaterial",
    "ApplicationStatus",
    "ApplicationTransition",
    "Bundle",
    "BundleApplication",
    "BundleItem",
    "DeadlineFlag",
    "HandlingScope",
    "IdempotencyKey",
    "ItemType",
    "OnlineLevel",
    "Rating",
    "RectificationStatus",
    "RectificationTask",
    "RequiredMaterial",
    "ServiceItem",
]
