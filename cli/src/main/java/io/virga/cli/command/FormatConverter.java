package io.virga.cli.command;

import io.virga.cli.output.Format;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code -o table|json|yaml}; anything else is a usage error naming the choices. */
public final class FormatConverter implements ITypeConverter<Format> {
    @Override
    public Format convert(String value) {
        try {
            return Format.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
