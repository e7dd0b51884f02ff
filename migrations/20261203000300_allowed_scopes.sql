-- Scopes a realm's apps, or one app, may be granted (space-delimited); NULL = every scope.
ALTER TABLE realms ADD COLUMN allowed_scopes TEXT;
ALTER TABLE clients ADD COLUMN allowed_scopes TEXT;
