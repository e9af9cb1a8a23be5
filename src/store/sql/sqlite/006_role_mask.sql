-- Roles as a bit mask (issue 10): one way to ask "does this user hold role
-- R" everywhere — (u.role_mask & ?) <> 0 with the role's bit bound — instead
-- of matching a comma-separated text column with LIKE.  The bits are those
-- of src/domain/roles.h (JEFE 1, FALLAS 2, SOPORTE 4, CONTROL 8, PROCESOS 16,
-- ONLINE 32, GERENTE 64, DIRECTOR 128, REGULATORIO 256, RECLAMOS 512,
-- ADMIN 1024) and never change meaning.
ALTER TABLE users ADD COLUMN role_mask INTEGER NOT NULL DEFAULT 0;
UPDATE users SET role_mask =
  CASE WHEN ',' || roles || ',' LIKE '%,JEFE,%' THEN 1 ELSE 0 END +
  CASE WHEN ',' || roles || ',' LIKE '%,FALLAS,%' THEN 2 ELSE 0 END +
  CASE WHEN ',' || roles || ',' LIKE '%,SOPORTE,%' THEN 4 ELSE 0 END +
  CASE WHEN ',' || roles || ',' LIKE '%,CONTROL,%' THEN 8 ELSE 0 END +
  CASE WHEN ',' || roles || ',' LIKE '%,PROCESOS,%' THEN 16 ELSE 0 END +
  CASE WHEN ',' || roles || ',' LIKE '%,ONLINE,%' THEN 32 ELSE 0 END +
  CASE WHEN ',' || roles || ',' LIKE '%,GERENTE,%' THEN 64 ELSE 0 END +
  CASE WHEN ',' || roles || ',' LIKE '%,DIRECTOR,%' THEN 128 ELSE 0 END +
  CASE WHEN ',' || roles || ',' LIKE '%,REGULATORIO,%' THEN 256 ELSE 0 END +
  CASE WHEN ',' || roles || ',' LIKE '%,RECLAMOS,%' THEN 512 ELSE 0 END +
  CASE WHEN ',' || roles || ',' LIKE '%,ADMIN,%' THEN 1024 ELSE 0 END;
ALTER TABLE users DROP COLUMN roles;
