package dev.runfleet.emulators.dynamodb.expression;

import dev.runfleet.emulators.dynamodb.DynamoDbError;
import dev.runfleet.emulators.dynamodb.expression.Ast.Action;
import dev.runfleet.emulators.dynamodb.expression.Ast.And;
import dev.runfleet.emulators.dynamodb.expression.Ast.Arithmetic;
import dev.runfleet.emulators.dynamodb.expression.Ast.Attr;
import dev.runfleet.emulators.dynamodb.expression.Ast.AttributeType;
import dev.runfleet.emulators.dynamodb.expression.Ast.BeginsWith;
import dev.runfleet.emulators.dynamodb.expression.Ast.Between;
import dev.runfleet.emulators.dynamodb.expression.Ast.Comparator;
import dev.runfleet.emulators.dynamodb.expression.Ast.Compare;
import dev.runfleet.emulators.dynamodb.expression.Ast.Cond;
import dev.runfleet.emulators.dynamodb.expression.Ast.Contains;
import dev.runfleet.emulators.dynamodb.expression.Ast.Element;
import dev.runfleet.emulators.dynamodb.expression.Ast.Exists;
import dev.runfleet.emulators.dynamodb.expression.Ast.IfNotExists;
import dev.runfleet.emulators.dynamodb.expression.Ast.In;
import dev.runfleet.emulators.dynamodb.expression.Ast.Index;
import dev.runfleet.emulators.dynamodb.expression.Ast.ListAppend;
import dev.runfleet.emulators.dynamodb.expression.Ast.NameRef;
import dev.runfleet.emulators.dynamodb.expression.Ast.Not;
import dev.runfleet.emulators.dynamodb.expression.Ast.Operand;
import dev.runfleet.emulators.dynamodb.expression.Ast.Or;
import dev.runfleet.emulators.dynamodb.expression.Ast.Path;
import dev.runfleet.emulators.dynamodb.expression.Ast.PathOperand;
import dev.runfleet.emulators.dynamodb.expression.Ast.Size;
import dev.runfleet.emulators.dynamodb.expression.Ast.UpdateExpr;
import dev.runfleet.emulators.dynamodb.expression.Ast.ValueRef;
import dev.runfleet.emulators.dynamodb.expression.Lexer.Kind;
import dev.runfleet.emulators.dynamodb.expression.Lexer.Token;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Recursive-descent parser for the four expression kinds. It checks everything that depends on the
 * text alone (syntax, reserved words, function names and arity), so its results can be cached by
 * text; whatever depends on the request's names and values is left to {@link Binder}.
 */
final class Parser {
  /** Longest expression DynamoDB accepts, in bytes. */
  static final int MAX_LENGTH = 4096;

  /** Document paths nest at most this deep. */
  static final int MAX_DEPTH = 32;

  /** IN takes at most this many candidates. */
  static final int MAX_IN = 100;

  /** Words of the grammar itself: as a bare path they are a syntax error, not a name. */
  private static final Set<String> GRAMMAR =
      Set.of("AND", "OR", "NOT", "BETWEEN", "IN", "SET", "REMOVE", "ADD", "DELETE");

  private static final Set<String> CONDITION_FUNCTIONS =
      Set.of(
          "attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains");

  private static final Set<String> UPDATE_FUNCTIONS = Set.of("if_not_exists", "list_append");

  private final String text;
  private final String parameter;
  private final List<Token> tokens;
  private int pos;

  private Parser(String text, String parameter) {
    if (text == null || text.isBlank()) {
      throw Errors.invalid(parameter, "The expression can not be empty;");
    }
    int size = dev.runfleet.emulators.dynamodb.Value.utf8Length(text);
    if (size > MAX_LENGTH) {
      throw Errors.invalid(
          parameter,
          "Expression size has exceeded the maximum allowed size; expression size: " + size);
    }
    this.text = text;
    this.parameter = parameter;
    this.tokens = Lexer.tokenize(text);
  }

  static Cond condition(String text, String parameter) {
    Parser p = new Parser(text, parameter);
    Cond c = p.or();
    p.expect(Kind.EOF);
    return c;
  }

  static UpdateExpr update(String text) {
    return new Parser(text, "UpdateExpression").updateClauses();
  }

  static List<Path> projection(String text) {
    Parser p = new Parser(text, "ProjectionExpression");
    List<Path> paths = p.commaSeparated(p::path);
    p.expect(Kind.EOF);
    return paths;
  }

  // ---- conditions: OR < AND < NOT < comparison, as the Developer Guide orders them

  private Cond or() {
    return leftAssociative("OR", this::and, Or::new);
  }

  private Cond and() {
    return leftAssociative("AND", this::not, And::new);
  }

  /** {@code operand (keyword operand)*}, folded to the left. */
  private Cond leftAssociative(
      String keyword, Supplier<Cond> operand, BinaryOperator<Cond> combine) {
    Cond left = operand.get();
    while (peek().isKeyword(keyword)) {
      pos++;
      left = combine.apply(left, operand.get());
    }
    return left;
  }

  private Cond not() {
    if (peek().isKeyword("NOT")) {
      pos++;
      return new Not(not());
    }
    return primary();
  }

  private Cond primary() {
    Token t = peek();
    if (t.is(Kind.LPAREN)) {
      pos++;
      Cond inner = or();
      expect(Kind.RPAREN);
      return inner;
    }
    if (isCall() && CONDITION_FUNCTIONS.contains(t.text())) {
      return conditionFunction();
    }
    Operand left = conditionOperand();
    Token op = next();
    Comparator comparator = comparator(op.kind());
    if (comparator != null) {
      return new Compare(left, comparator, conditionOperand());
    }
    if (op.isKeyword("BETWEEN")) {
      Operand lower = conditionOperand();
      expectKeyword("AND");
      return new Between(left, lower, conditionOperand());
    }
    if (op.isKeyword("IN")) {
      expect(Kind.LPAREN);
      List<Operand> candidates = commaSeparated(this::conditionOperand);
      expect(Kind.RPAREN);
      if (candidates.size() > MAX_IN) {
        throw Errors.invalid(
            parameter,
            "The IN operator is provided with too many operands; number of operands: "
                + candidates.size());
      }
      return new In(left, candidates);
    }
    throw syntaxError(op);
  }

  private static Comparator comparator(Kind kind) {
    switch (kind) {
      case EQ:
        return Comparator.EQ;
      case NE:
        return Comparator.NE;
      case LT:
        return Comparator.LT;
      case LE:
        return Comparator.LE;
      case GT:
        return Comparator.GT;
      case GE:
        return Comparator.GE;
      default:
        return null;
    }
  }

  private Cond conditionFunction() {
    String name = peek().text();
    switch (name) {
      case "attribute_exists":
      case "attribute_not_exists":
        Operand path = arguments(name, this::conditionOperand, 1).get(0);
        return new Exists(requirePath(name, path), name.equals("attribute_exists"));
      case "attribute_type":
        List<Operand> typed = arguments(name, this::conditionOperand, 2);
        return new AttributeType(requirePath(name, typed.get(0)), typed.get(1));
      case "begins_with":
        List<Operand> prefixed = arguments(name, this::conditionOperand, 2);
        return new BeginsWith(prefixed.get(0), prefixed.get(1));
      default:
        List<Operand> args = arguments(name, this::conditionOperand, 2);
        return new Contains(args.get(0), args.get(1));
    }
  }

  /** An operand of a condition: a path, a value, or {@code size(...)}. */
  private Operand conditionOperand() {
    return operand(this::conditionCall);
  }

  private Operand conditionCall(String name) {
    if (name.equals("size")) {
      return new Size(arguments(name, this::conditionOperand, 1).get(0));
    }
    if (CONDITION_FUNCTIONS.contains(name)) {
      throw Errors.invalid(
          parameter,
          "The function is not allowed to be used this way in an expression; function: " + name);
    }
    if (UPDATE_FUNCTIONS.contains(name)) {
      throw Errors.invalid(
          parameter, "The function is not allowed in a condition expression; function: " + name);
    }
    throw Errors.invalid(parameter, "Invalid function name; function: " + name);
  }

  // ---- update expressions

  private UpdateExpr updateClauses() {
    List<Action> sets = new ArrayList<>();
    List<Path> removes = new ArrayList<>();
    List<Action> adds = new ArrayList<>();
    List<Action> deletes = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    while (!peek().is(Kind.EOF)) {
      Token keyword = next();
      String clause = keyword.is(Kind.IDENT) ? keyword.text().toUpperCase(Locale.ROOT) : "";
      switch (clause) {
        case "SET":
          onlyOnce(seen, clause);
          sets.addAll(commaSeparated(this::setAction));
          break;
        case "REMOVE":
          onlyOnce(seen, clause);
          removes.addAll(commaSeparated(this::path));
          break;
        case "ADD":
          onlyOnce(seen, clause);
          adds.addAll(commaSeparated(this::valueAction));
          break;
        case "DELETE":
          onlyOnce(seen, clause);
          deletes.addAll(commaSeparated(this::valueAction));
          break;
        default:
          throw syntaxError(keyword);
      }
    }
    return new UpdateExpr(sets, removes, adds, deletes);
  }

  private void onlyOnce(Set<String> seen, String clause) {
    if (!seen.add(clause)) {
      throw Errors.invalid(
          parameter,
          "The \"" + clause + "\" section can only be used once in an update expression;");
    }
  }

  private Action setAction() {
    Path target = path();
    expect(Kind.EQ);
    Operand left = updateOperand();
    if (peek().is(Kind.PLUS) || peek().is(Kind.MINUS)) {
      boolean plus = next().is(Kind.PLUS);
      return new Action(target, new Arithmetic(left, plus, updateOperand()));
    }
    return new Action(target, left);
  }

  /** ADD and DELETE take a path and one value placeholder. */
  private Action valueAction() {
    Path target = path();
    Token value = expect(Kind.VALUE);
    return new Action(target, new ValueRef(value.text()));
  }

  private Operand updateOperand() {
    return operand(this::updateCall);
  }

  private Operand updateCall(String name) {
    if (name.equals("if_not_exists")) {
      List<Operand> args = arguments(name, this::updateOperand, 2);
      return new IfNotExists(requirePath(name, args.get(0)), args.get(1));
    }
    if (name.equals("list_append")) {
      List<Operand> args = arguments(name, this::updateOperand, 2);
      return new ListAppend(args.get(0), args.get(1));
    }
    if (CONDITION_FUNCTIONS.contains(name) || name.equals("size")) {
      throw Errors.invalid(
          parameter, "The function is not allowed in an update expression; function: " + name);
    }
    throw Errors.invalid(parameter, "Invalid function name; function: " + name);
  }

  // ---- shared pieces

  /** A value placeholder, a function call (left to {@code call}) or a document path. */
  private Operand operand(Function<String, Operand> call) {
    Token t = peek();
    if (t.is(Kind.VALUE)) {
      pos++;
      return new ValueRef(t.text());
    }
    return isCall() ? call.apply(t.text()) : new PathOperand(path());
  }

  private Path path() {
    List<Element> elements = new ArrayList<>();
    elements.add(nameElement());
    while (true) {
      if (peek().is(Kind.DOT)) {
        pos++;
        elements.add(nameElement());
      } else if (peek().is(Kind.LBRACKET)) {
        pos++;
        Token number = expect(Kind.NUMBER);
        int index;
        try {
          index = Integer.parseInt(number.text());
        } catch (NumberFormatException e) {
          throw syntaxError(number);
        }
        expect(Kind.RBRACKET);
        elements.add(new Index(index));
      } else {
        break;
      }
    }
    if (elements.size() > MAX_DEPTH) {
      throw Errors.invalid(
          parameter,
          "The document path has too many nesting levels; nesting levels: " + elements.size());
    }
    return new Path(elements);
  }

  private Element nameElement() {
    Token t = next();
    if (t.is(Kind.NAME)) {
      return new NameRef(t.text());
    }
    if (t.is(Kind.IDENT) && !GRAMMAR.contains(t.text().toUpperCase(Locale.ROOT))) {
      if (ReservedWords.contains(t.text())) {
        throw Errors.invalid(
            parameter, "Attribute name is a reserved keyword; reserved keyword: " + t.text());
      }
      return new Attr(t.text());
    }
    throw syntaxError(t);
  }

  private Path requirePath(String function, Operand operand) {
    if (operand instanceof PathOperand p) {
      return p.path();
    }
    throw Errors.invalid(
        parameter,
        "Operator or function requires a document path; operator or function: " + function);
  }

  /** A call's arguments, which must number {@code arity}. */
  private List<Operand> arguments(String function, Supplier<Operand> operand, int arity) {
    pos++; // the function name
    expect(Kind.LPAREN);
    List<Operand> args = peek().is(Kind.RPAREN) ? new ArrayList<>() : commaSeparated(operand);
    expect(Kind.RPAREN);
    if (args.size() != arity) {
      throw Errors.invalid(
          parameter,
          "Incorrect number of operands for operator or function; operator or function: "
              + function
              + ", number of operands: "
              + args.size());
    }
    return args;
  }

  private <T> List<T> commaSeparated(Supplier<T> item) {
    List<T> items = new ArrayList<>();
    items.add(item.get());
    while (peek().is(Kind.COMMA)) {
      pos++;
      items.add(item.get());
    }
    return items;
  }

  private boolean isCall() {
    return peek().is(Kind.IDENT) && tokens.get(pos + 1).is(Kind.LPAREN);
  }

  private Token peek() {
    return tokens.get(pos);
  }

  private Token next() {
    Token t = tokens.get(pos);
    if (!t.is(Kind.EOF)) {
      pos++;
    }
    return t;
  }

  private Token expect(Kind kind) {
    Token t = peek();
    if (!t.is(kind)) {
      throw syntaxError(t);
    }
    return next();
  }

  private void expectKeyword(String keyword) {
    Token t = peek();
    if (!t.isKeyword(keyword)) {
      throw syntaxError(t);
    }
    pos++;
  }

  /** DynamoDB's shape: the offending token, and the text from the token before to the one after. */
  private DynamoDbError syntaxError(Token t) {
    int at = tokens.indexOf(t);
    Token before = tokens.get(Math.max(0, at - 1));
    Token after = tokens.get(Math.min(tokens.size() - 1, at + 1));
    String near = text.substring(before.start(), Math.max(after.end(), t.end()));
    return Errors.invalid(
        parameter, "Syntax error; token: \"" + t.text() + "\", near: \"" + near + "\"");
  }
}
