package dev.tealama.cli;

import dev.tealama.model.NumericScheme;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --numerics llama-cpp|precise}: picocli converter and display names for {@link NumericScheme}. */
public final class NumericsConverter implements ITypeConverter<NumericScheme> {

    /** The name {@code --numerics} takes for {@code scheme}. */
    public static String cliName(NumericScheme scheme) {
        return scheme == NumericScheme.LLAMA_CPP ? "llama-cpp" : "precise";
    }

    @Override
    public NumericScheme convert(String value) {
        for (NumericScheme scheme : NumericScheme.values()) {
            if (cliName(scheme).equalsIgnoreCase(value)) {
                return scheme;
            }
        }
        throw new TypeConversionException("'" + value + "' is not a numeric scheme (llama-cpp or precise)");
    }
}
