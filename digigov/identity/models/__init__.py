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

__all__ = [
    "AgentRole",
    "AgentState",
    "ApiToken",
    "CitizenProfile",
    "Department",
    "Enterprise",
    "EnterpriseAgent",
    "Region",
    "RegionLevel",
    "Role",
    "RoleGrant",
    "StaffProfile",
    "User",
    "UserKind",
]
