use std::collections::BTreeSet;

/// Permission names as ION spells them: the PascalCase name of the mutation they guard.
pub const ALL_PERMISSIONS: &[&str] = &[
    "CreateOauthApp",
    "UpdateOauthApp",
    "DeleteOauthApp",
    "CreateAPIKey",
    "UpdateAPIKey",
    "DeleteAPIKey",
    "UpdateUser",
    "AttachRoleToUser",
    "DetachRoleFromUser",
];

/// The wildcard a role may hold in fixtures: every permission the emulator knows.
pub const EVERY_PERMISSION: &str = "*";

/// What a caller may do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Permissions(BTreeSet<String>);

impl Permissions {
    /// Expands `*` to every known permission.
    pub fn from_names<I, S>(names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut set = BTreeSet::new();
        for name in names {
            let name = name.as_ref();
            if name == EVERY_PERMISSION {
                set.extend(ALL_PERMISSIONS.iter().map(|p| p.to_string()));
            } else {
                set.insert(name.to_owned());
            }
        }
        Self(set)
    }

    pub fn contains(&self, permission: &str) -> bool {
        self.0.contains(permission)
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    /// What both may do: a key made by a caller never gets more than that caller has.
    pub fn intersect(&self, other: &Permissions) -> Self {
        Self(self.0.intersection(&other.0).cloned().collect())
    }
}

/// Whether a name may appear in a role's permission list.
pub fn is_known(name: &str) -> bool {
    name == EVERY_PERMISSION || ALL_PERMISSIONS.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wildcard_grants_every_permission() {
        let p = Permissions::from_names(["*"]);
        for name in ALL_PERMISSIONS {
            assert!(p.contains(name), "{name}");
        }
    }

    #[test]
    fn an_intersection_keeps_only_what_both_grant() {
        let admin = Permissions::from_names(["*"]);
        let some = Permissions::from_names(["CreateAPIKey", "Unknown"]);
        let both = admin.intersect(&some);
        assert!(both.contains("CreateAPIKey"));
        assert!(!both.contains("Unknown"));
        assert!(!both.contains("DeleteAPIKey"));
    }

    #[test]
    fn an_empty_role_grants_nothing() {
        assert!(!Permissions::from_names(Vec::<String>::new()).contains("CreateAPIKey"));
    }
}
