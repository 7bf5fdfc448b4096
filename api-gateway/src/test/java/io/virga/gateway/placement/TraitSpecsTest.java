package io.virga.gateway.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.virga.gateway.error.FieldError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing flavor extra specs and image properties into required and forbidden traits. */
class TraitSpecsTest {
    @Test
    void flavorExtraSpecsGiveRequiredAndForbiddenTraits() {
        List<FieldError> errors = new ArrayList<>();
        TraitSpecs t = TraitSpecs.ofExtraSpecs(Map.of("trait:HW_CPU_X86_AVX2", "required",
                "trait:CUSTOM_SLOW_DISK", "forbidden", "trait:COMPUTE_SIM", "forbidden"), errors);
        assertEquals(List.of(), errors);
        assertEquals(Set.of("HW_CPU_X86_AVX2"), t.required());
        assertEquals(List.of("COMPUTE_SIM", "CUSTOM_SLOW_DISK"), List.copyOf(t.forbidden()));
    }

    @Test
    void noSpecsAreNoTraits() {
        List<FieldError> errors = new ArrayList<>();
        assertTrue(TraitSpecs.ofExtraSpecs(null, errors).isEmpty());
        assertTrue(TraitSpecs.ofExtraSpecs(Map.of(), errors).isEmpty());
        assertTrue(TraitSpecs.ofImageProperties(null, "image", errors).isEmpty());
        assertTrue(TraitSpecs.ofImageProperties(Map.of("os", "debian", "virt_mode", "para"), "image", errors)
                .isEmpty());
        assertEquals(List.of(), errors);
    }

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "trait:HW_CPU_X86_AVX2 | maybe     | extra_specs.trait:HW_CPU_X86_AVX2",
        "trait:HW_CPU_X86_AVX2 | Required  | extra_specs.trait:HW_CPU_X86_AVX2",
        "trait:hw_cpu_x86_avx2 | required  | extra_specs.trait:hw_cpu_x86_avx2",
        "trait:                | required  | extra_specs.trait:",
        "trait:A-B             | forbidden | extra_specs.trait:A-B",
        "hw:cpu_policy         | dedicated | extra_specs.hw:cpu_policy",
    })
    void badExtraSpecsAreFieldErrors(String key, String value, String field) {
        List<FieldError> errors = new ArrayList<>();
        TraitSpecs t = TraitSpecs.ofExtraSpecs(Map.of(key, value), errors);
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(field, errors.get(0).field());
        assertTrue(t.isEmpty());
    }

    @Test
    void tooManyExtraSpecsAreRefused() {
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i <= TraitSpecs.MAX_EXTRA_SPECS; i++) {
            many.put("trait:CUSTOM_T" + i, "required");
        }
        List<FieldError> errors = new ArrayList<>();
        TraitSpecs.ofExtraSpecs(many, errors);
        assertEquals("extra_specs", errors.get(0).field());
    }

    @Test
    void imagePropertiesAreUpperCasedAndListsSplit() {
        List<FieldError> errors = new ArrayList<>();
        TraitSpecs t = TraitSpecs.ofImageProperties(Map.of("trait:hw_cpu_x86_avx2", "required",
                "traits_required", "CUSTOM_A, CUSTOM_B", "traits_forbidden", "COMPUTE_RUNC",
                "trait:custom_slow", "forbidden", "os", "linux"), "image", errors);
        assertEquals(List.of(), errors);
        assertEquals(List.of("CUSTOM_A", "CUSTOM_B", "HW_CPU_X86_AVX2"), List.copyOf(t.required()));
        assertEquals(List.of("COMPUTE_RUNC", "CUSTOM_SLOW"), List.copyOf(t.forbidden()));
    }

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "trait:custom_x   | yes              | image.trait:custom_x",
        "traits_required  | ''               | image.traits_required",
        "traits_required  | CUSTOM_A,,B      | image.traits_required",
        "traits_forbidden | custom_lower     | image.traits_forbidden",
    })
    void badImagePropertiesAreFieldErrors(String key, String value, String field) {
        List<FieldError> errors = new ArrayList<>();
        TraitSpecs.ofImageProperties(Map.of(key, value), "image", errors);
        assertEquals(field, errors.get(0).field(), errors.toString());
    }

    @Test
    void aTraitBothRequiredAndForbiddenInOneImageIsAnError() {
        List<FieldError> errors = new ArrayList<>();
        TraitSpecs.ofImageProperties(Map.of("traits_required", "CUSTOM_A", "traits_forbidden", "CUSTOM_A"),
                "image", errors);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).message().contains("both required and forbidden"), errors.toString());
    }

    @Test
    void createCombinesKindFlavorAndImage() {
        List<FieldError> errors = new ArrayList<>();
        TraitSpecs t = TraitSpecs.forCreate(Set.of("COMPUTE_GUEST_VM", "VIRT_MODE_HYBRID"),
                Map.of("trait:HW_CPU_X86_AVX2", "required", "trait:COMPUTE_SIM", "forbidden"),
                Map.of("traits_required", "CUSTOM_GPU"), errors);
        assertEquals(List.of(), errors);
        assertEquals(List.of("COMPUTE_GUEST_VM", "CUSTOM_GPU", "HW_CPU_X86_AVX2", "VIRT_MODE_HYBRID"),
                List.copyOf(t.required()));
        assertEquals(Set.of("COMPUTE_SIM"), t.forbidden());
    }

    @Test
    void flavorAndImageContradictingEachOtherIsAnErrorOnTheImage() {
        List<FieldError> errors = new ArrayList<>();
        TraitSpecs.forCreate(Set.of("COMPUTE_GUEST_VM"), Map.of("trait:CUSTOM_GPU", "forbidden"),
                Map.of("trait:custom_gpu", "required"), errors);
        assertEquals(1, errors.size(), errors.toString());
        assertEquals("image", errors.get(0).field());
        assertTrue(errors.get(0).message().contains("CUSTOM_GPU"), errors.toString());
    }

    @Test
    void forbiddingTheFlavorKindsOwnTraitIsAnErrorOnTheFlavor() {
        List<FieldError> errors = new ArrayList<>();
        TraitSpecs.forCreate(Set.of("COMPUTE_GUEST_VM"), Map.of("trait:COMPUTE_GUEST_VM", "forbidden"), Map.of(),
                errors);
        assertEquals("flavor", errors.get(0).field(), errors.toString());
    }

    @Test
    void badFlavorSpecsFoundAtCreateAreNamedOnTheFlavorField() {
        List<FieldError> errors = new ArrayList<>();
        TraitSpecs.forCreate(Set.of(), Map.of("trait:X", "maybe"), Map.of(), errors);
        assertEquals("flavor", errors.get(0).field(), errors.toString());
        assertTrue(errors.get(0).message().startsWith("flavor extra_specs.trait:X: "), errors.toString());
    }
}
