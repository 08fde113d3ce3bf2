from digigov.hotline.models.appeals import (
    OPEN_APPEAL_STATUSES,
    Appeal,
    AppealAttachment,
    AppealCard,
    AppealEvent,
    AppealStatus,
    AppealWord,
    CallbackTask,
    ExtensionRequest,
    ExtensionStatus,
    RoutedBy,
    Satisfaction,
)
from digigov.hotline.models.catalogue import (
    AppealType,
    Category,
    CategoryLevel,
    Channel,
    DeadlinePolicy,
    KnowledgeEntry,
)
from digigov.hotline.models.open311 import Open311Client
from digigov.hotline.models.routing import LabelSource, RoutingLabel, RoutingModelVersion

__all__ = [
    "OPEN_APPEAL_STATUSES",
    "Appeal",
    "AppealAttachment",
    "AppealCard",
    "AppealEvent",
    "AppealStatus",
    "AppealType",
    "AppealWord",
    "CallbackTask",
    "Category",
    "CategoryLevel",
    "Channel",
    "DeadlinePolicy",
    "ExtensionRequest",
    "ExtensionStatus",
    "KnowledgeEntry",
    "LabelSource",
    "Open311Client",
    "RoutedBy",
    "RoutingLabel",
    "RoutingModelVersion",
    "Satisfaction",
]
