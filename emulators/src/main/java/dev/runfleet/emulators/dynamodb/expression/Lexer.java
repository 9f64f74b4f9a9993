package dev.runfleet.emulators.dynamodb.expression;

import java.util.ArrayList;
import java.util.List;

/** Splits expression text into tokens; characters it does not know become UNKNOWN tokens. */
final class Lexer {
  private Lexer() {}

  enum Kind {
    IDENT,
    NAME,
    VALUE,
    NUMBER,
    LPAREN,
    RPAREN,
    LBRACKET,
    RBRACKET,
    COMMA,
    DOT,
    EQ,
    NE,
    LT,
    LE,
    GT,
    GE,
    PLUS,
    MINUS,
    UNKNOWN,
    EOF
  }

  record Token(Kind kind, String text, int start, int end) {
    boolean is(Kind k) {
      return kind == k;
    }

    boolean isKeyword(String keyword) {
      return kind == Kind.IDENT && text.equalsIgnoreCase(keyword);
    }
  }

  static List<Token> tokenize(String text) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      int start = i;
      Kind kind;
      if (isIdentStart(c)) {
        i = skipWord(text, i + 1);
        kind = Kind.IDENT;
      } else if (c >= '0' && c <= '9') {
        while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
          i++;
        }
        kind = Kind.NUMBER;
      } else if ((c == '#' || c == ':') && i + 1 < n && isWord(text.charAt(i + 1))) {
        i = skipWord(text, i + 1);
        kind = c == '#' ? Kind.NAME : Kind.VALUE;
      } else {
        i++;
        kind = symbol(c);
        if (c == '<' && i < n && (text.charAt(i) == '>' || text.charAt(i) == '=')) {
          kind = text.charAt(i) == '>' ? Kind.NE : Kind.LE;
          i++;
        } else if (c == '>' && i < n && text.charAt(i) == '=') {
          kind = Kind.GE;
          i++;
        }
      }
      tokens.add(new Token(kind, text.substring(start, i), start, i));
    }
    tokens.add(new Token(Kind.EOF, "<EOF>", n, n));
    return tokens;
  }

  private static Kind symbol(char c) {
    switch (c) {
      case '(':
        return Kind.LPAREN;
      case ')':
        return Kind.RPAREN;
      case '[':
        return Kind.LBRACKET;
      case ']':
        return Kind.RBRACKET;
      case ',':
        return Kind.COMMA;
      case '.':
        return Kind.DOT;
      case '=':
        return Kind.EQ;
      case '<':
        return Kind.LT;
      case '>':
        return Kind.GT;
      case '+':
        return Kind.PLUS;
      case '-':
        return Kind.MINUS;
      default:
        return Kind.UNKNOWN;
    }
  }

  private static int skipWord(String text, int i) {
    while (i < text.length() && isWord(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isWord(char c) {
    return isIdentStart(c) || (c >= '0' && c <= '9');
  }
}
