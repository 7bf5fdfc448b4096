package io.virga.gateway.placement;

import io.virga.gateway.error.FieldError;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Required and forbidden host traits asked for by a flavor's {@code extra_specs} and an image's properties,
 * as the scheduler's {@code SelectRequest.required_traits} / {@code forbidden_traits} carry them.
 *
 * <pre>
 * source          key                     value                           meaning
 * --------------- ----------------------- ------------------------------- -------------------------------
 * flavor          trait:NAME              required | forbidden            NAME must / must not be on the host
 * image property  trait:name              required | forbidden            the same; name is upper-cased
 *                                                                          (image property keys are lower case)
 * image property  traits_required         NAME[,NAME…]                    each NAME is required
 * image property  traits_forbidden        NAME[,NAME…]                    each NAME is forbidden
 * </pre>
 *
 * A trait name is 1-255 of {@code [A-Z0-9_]} (os-traits style, e.g. {@code HW_CPU_X86_AVX2},
 * {@code CUSTOM_GPU_FAST}, {@code COMPUTE_SIM}). A trait both required and forbidden (within one source or
 * between flavor and image) is an error. A flavor's extra spec outside the {@code trait:} namespace is an
 * error (nothing else is acted on yet, and a spec silently ignored would lie). Image properties other than
 * the three above are not this class's business and are ignored.
 *
 * <p>Immutable; the sets are sorted.
 */
public record TraitSpecs(Set<String> required, Set<String> forbidden) {
    public static final TraitSpecs NONE = new TraitSpecs(Set.of(), Set.of());
    public static final String PREFIX = "trait:";
    public static final String REQUIRED = "required";
    public static final String FORBIDDEN = "forbidden";
    public static final int MAX_EXTRA_SPECS = 64;
    private static final Pattern NAME = Pattern.compile("[A-Z0-9_]{1,255}");

    public TraitSpecs {
        required = Collections.unmodifiableSet(new TreeSet<>(required));
        forbidden = Collections.unmodifiableSet(new TreeSet<>(forbidden));
    }

    /**
     * The traits of a flavor's {@code extra_specs}; every bad entry is added to {@code errors} as
     * {@code extra_specs.<key>} (or {@code extra_specs} for the map as a whole).
     *
     * @param extraSpecs may be null (no specs)
     */
    public static TraitSpecs ofExtraSpecs(Map<String, String> extraSpecs, List<FieldError> errors) {
        if (extraSpecs == null || extraSpecs.isEmpty()) {
            return NONE;
        }
        if (extraSpecs.size() > MAX_EXTRA_SPECS) {
            errors.add(new FieldError("extra_specs", "at most " + MAX_EXTRA_SPECS + " entries, got "
                    + extraSpecs.size()));
            return NONE;
        }
        Builder b = new Builder("extra_specs", errors);
        new TreeMap<>(extraSpecs).forEach((key, value) -> {
            if (!key.startsWith(PREFIX)) {
                errors.add(new FieldError("extra_specs." + key, "unknown extra spec; supported: trait:<NAME>"
                        + " = required | forbidden"));
                return;
            }
            b.mark(key, key.substring(PREFIX.length()), value);
        });
        return b.build();
    }

    /**
     * The traits an image's properties ask for; every bad property is added to {@code errors} as
     * {@code <field>.<key>} (e.g. {@code image.trait:hw_cpu_x86_avx2}).
     */
    public static TraitSpecs ofImageProperties(Map<String, String> properties, String field, List<FieldError> errors) {
        if (properties == null || properties.isEmpty()) {
            return NONE;
        }
        Builder b = new Builder(field, errors);
        new TreeMap<>(properties).forEach((key, value) -> {
            if (key.startsWith(PREFIX)) {
                b.mark(key, key.substring(PREFIX.length()).toUpperCase(Locale.ROOT), value);
            } else if (key.equals("traits_required") || key.equals("traits_forbidden")) {
                String as = key.equals("traits_required") ? REQUIRED : FORBIDDEN;
                String list = value == null ? "" : value;
                if (list.isBlank()) {
                    errors.add(new FieldError(field + "." + key, "must list trait names separated by commas"));
                    return;
                }
                for (String name : list.split(",", -1)) {
                    b.mark(key, name.strip(), as);
                }
            }
        });
        return b.build();
    }

    /**
     * This and {@code other} together; a trait one requires and the other forbids is an error on {@code field}
     * (and the answer is this alone).
     */
    public TraitSpecs and(TraitSpecs other, String field, List<FieldError> errors) {
        Set<String> req = new TreeSet<>(required);
        req.addAll(other.required);
        Set<String> forb = new TreeSet<>(forbidden);
        forb.addAll(other.forbidden);
        Set<String> both = new TreeSet<>(req);
        both.retainAll(forb);
        if (!both.isEmpty()) {
            errors.add(new FieldError(field, "traits " + both + " would be both required and forbidden"));
            return this;
        }
        return new TraitSpecs(req, forb);
    }

    /**
     * What an instance of {@code flavor} from an image with {@code imageProperties} asks the scheduler for:
     * {@code kindTraits} (the flavor kind's, always required), the flavor's extra specs and the image's traits.
     * Problems are added to {@code errors} (fields {@code flavor} and {@code image}).
     */
    public static TraitSpecs forCreate(Set<String> kindTraits, Map<String, String> extraSpecs,
                                       Map<String, String> imageProperties, List<FieldError> errors) {
        List<FieldError> flavorErrors = new java.util.ArrayList<>();
        TraitSpecs flavor = ofExtraSpecs(extraSpecs, flavorErrors);
        flavorErrors.forEach(e -> errors.add(new FieldError("flavor", "flavor " + e.field() + ": " + e.message())));
        TraitSpecs image = ofImageProperties(imageProperties, "image", errors);
        return new TraitSpecs(kindTraits, Set.of()).and(flavor, "flavor", errors).and(image, "image", errors);
    }

    public boolean isEmpty() {
        return required.isEmpty() && forbidden.isEmpty();
    }

    /** Collects marks of one source, reporting bad names, bad values and contradictions. */
    private static final class Builder {
        private final String field;
        private final List<FieldError> errors;
        private final Set<String> required = new TreeSet<>();
        private final Set<String> forbidden = new TreeSet<>();

        Builder(String field, List<FieldError> errors) {
            this.field = field;
            this.errors = errors;
        }

        void mark(String key, String name, String value) {
            String where = field + "." + key;
            if (!NAME.matcher(name).matches()) {
                errors.add(new FieldError(where, "trait name '" + name + "' must be 1-255 of A-Z, 0-9 and _"));
                return;
            }
            if (REQUIRED.equals(value)) {
                required.add(name);
            } else if (FORBIDDEN.equals(value)) {
                forbidden.add(name);
            } else {
                errors.add(new FieldError(where, "must be required or forbidden, got '" + value + "'"));
                return;
            }
            if (required.contains(name) && forbidden.contains(name)) {
                errors.add(new FieldError(where, "trait " + name + " is both required and forbidden"));
            }
        }

        TraitSpecs build() {
            return new TraitSpecs(required, forbidden);
        }
    }
}
