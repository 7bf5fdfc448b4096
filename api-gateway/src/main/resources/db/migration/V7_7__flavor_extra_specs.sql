-- Flavor extra specs (issue 9, traits): placement requirements such as
-- {"trait:HW_CPU_X86_AVX2": "required", "trait:CUSTOM_SLOW": "forbidden"}.
-- The gateway validates them (TraitSpecs); the column only insists on an object.
ALTER TABLE flavors ADD COLUMN extra_specs JSONB NOT NULL DEFAULT '{}'::jsonb
    CHECK (jsonb_typeof(extra_specs) = 'object');
