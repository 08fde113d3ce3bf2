from digigov.identity.models.org import Department, Region, RegionLevel
from digigov.identity.models.people import (
    AgentRole,
    AgentState,
    CitizenProfile,
    Enterprise,
    EnterpriseAgent,
    User,
    UserKind,
)
from digigov.identity.models.roles import ApiToken, Role, RoleGrant, StaffProfile
from digigov.identity.models.security import NoticeKind, SecurityNotice

__all__ = [
    "AgentRole",
    "AgentState",
    "ApiToken",
    "CitizenProfile",
    "Department",
    "Enterprise",
    "EnterpriseAgent",
    "NoticeKind",
    "Region",
    "RegionLevel",
    "Role",
    "RoleGrant",
    "SecurityNotice",
    "StaffProfile",
    "User",
    "UserKind",
]
