-- Image properties (as Glance's): free-form string pairs such as min_ram_mb,
-- virt_mode, kind, kernel_id, ramdisk_id, os_command_line, container_mode.
-- The service validates keys and the values of the keys it knows.
ALTER TABLE images ADD COLUMN properties JSONB NOT NULL DEFAULT '{}'::jsonb
    CHECK (jsonb_typeof(properties) = 'object');
