package dev.jobkit.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** A plain-text table with left-aligned columns, padded on the text before it is coloured. */
final class Table {
  /** One cell: its text and how to colour it. */
  record Cell(String text, UnaryOperator<String> colour) {
    static Cell of(String text) {
      return new Cell(text, UnaryOperator.identity());
    }
  }

  private final List<String> headers;
  private final List<List<Cell>> rows = new ArrayList<>();

  Table(String... headers) {
    this.headers = List.of(headers);
  }

  Table row(Object... cells) {
    List<Cell> row = new ArrayList<>(cells.length);
    for (Object c : cells) {
      row.add(c instanceof Cell cell ? cell : Cell.of(String.valueOf(c)));
    }
    rows.add(row);
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintWriter out, Style style) {
    int[] width = new int[headers.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = headers.get(i).length();
      for (List<Cell> r : rows) {
        width[i] = Math.max(width[i], r.get(i).text().length());
      }
    }
    StringBuilder h = new StringBuilder();
    for (int i = 0; i < width.length; i++) {
      h.append(pad(headers.get(i), width[i], i == width.length - 1));
    }
    out.println(style.bold(h.toString().stripTrailing()));
    for (List<Cell> r : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < width.length; i++) {
        Cell c = r.get(i);
        b.append(c.colour().apply(c.text()));
        if (i < width.length - 1) {
          b.append(" ".repeat(width[i] - c.text().length() + 2));
        }
      }
      out.println(b.toString().stripTrailing());
    }
  }

  private static String pad(String s, int width, boolean last) {
    return last ? s : s + " ".repeat(width - s.length() + 2);
  }
}
