from digigov.identity.models.org import Department, Region, RegionLevel
from digigov.identity.models.people import CitizenProfile, Enterprise, EnterpriseAgent, User, UserKind
from digigov.identity.models.roles import ApiToken, Role, RoleGrant, StaffProfile

__all__ = [
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
