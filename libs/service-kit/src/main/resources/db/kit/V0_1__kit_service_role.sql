-- The service's own database role (service kit). The service connects as this role; migrations run as the
-- admin role and own every object, so the service can never alter its schema, and each table grants the
-- role exactly the statements it needs.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${app_user}') THEN
        CREATE ROLE ${app_user} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
END
$$;

GRANT USAGE ON SCHEMA ${schema} TO ${app_user};
ALTER ROLE ${app_user} SET search_path = ${schema};
