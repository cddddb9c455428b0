"""The access log is append-only in the database: UPDATE and DELETE of its rows raise.

A row trigger, so TRUNCATE (which only a database owner's maintenance or a test flush runs) is not
affected; the application never truncates.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION district_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'district_accesslog is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Access log entries are never changed or deleted.';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER district_accesslog_append_only
    BEFORE UPDATE OR DELETE ON district_accesslog
    FOR EACH ROW EXECUTE FUNCTION district_accesslog_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS district_accesslog_append_only ON district_accesslog;
DROP FUNCTION IF EXISTS district_accesslog_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("district", "0004_uploads_not_kept_listing_logged")]

    operations = [migrations.RunSQL(CREATE, DROP)]
