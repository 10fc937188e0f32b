package io.walguard.sqlite.cli;

import io.walguard.sqlite.CheckpointMode;
import io.walguard.sqlite.JournalTarget;
import io.walguard.sqlite.report.ReportOutput;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Case-insensitive option values: {@code --mode truncate} works as well as {@code --mode TRUNCATE}. */
final class EnumConverters {

  private EnumConverters() {}

  static <E extends Enum<E>> E parse(Class<E> type, String value) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(value.trim())) return e;
    }
    String allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
    throw new TypeConversionException("'" + value + "' is not one of " + allowed);
  }

  static final class CheckpointModes implements ITypeConverter<CheckpointMode> {
    @Override
    public CheckpointMode convert(String value) {
      return parse(CheckpointMode.class, value);
    }
  }

  static final class JournalTargets implements ITypeConverter<JournalTarget> {
    @Override
    public JournalTarget convert(String value) {
      return parse(JournalTarget.class, value);
    }
  }

  static final class Formats implements ITypeConverter<ReportOutput.Format> {
    @Override
    public ReportOutput.Format convert(String value) {
      return parse(ReportOutput.Format.class, value.toLowerCase(Locale.ROOT));
    }
  }
}
