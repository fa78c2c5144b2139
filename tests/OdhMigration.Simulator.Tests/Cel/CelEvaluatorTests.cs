using System.Text.Json.Nodes;
using OdhMigration.Simulator.Schema.Cel;

namespace OdhMigration.Simulator.Tests.Cel;

/// <summary>
/// The CEL subset evaluator against the language definition (google/cel-spec doc/langdef.md: "Logical operators" for
/// the commutative <c>&amp;&amp;</c>/<c>||</c>, "Macros" for has/all/exists, "Equality" for heterogeneous numeric
/// equality) and cel-go's behaviour as kube-apiserver runs it (no such key errors for absent fields, RE2
/// <c>matches</c> as an unanchored search, the strings extension's <c>lowerAscii</c>).
/// </summary>
public sealed class CelEvaluatorTests
{
    private const string Object = """{"name":"a","count":3,"ratio":0.5,"on":true,"none":null,"tags":["x","y"],"labels":{"k":"v","e":""},"nested":{"inner":"i"},"mixed":[1,"a"]}""";

    [Theory]
    [InlineData("self.name == 'a'", true)]
    [InlineData("self.name == \"a\"", true)]
    [InlineData("self.name != 'b'", true)]
    [InlineData("self.count > 2 && self.count <= 3 && self.count >= 3 && self.count < 4", true)]
    [InlineData("self.count == 3.0 && self.count == 3u && 3u == 3.0", true)]
    [InlineData("self.ratio < 1 && -1 < self.ratio", true)]
    [InlineData("self.on && !false", true)]
    [InlineData("self.none == null && null == null && self.name != null", true)]
    [InlineData("'y' in self.tags && !('z' in self.tags) && 'k' in self.labels && !('v' in self.labels)", true)]
    [InlineData("'b' in ['a', 'b'] && [1, 2] == [1, 2] && [1, 2] != [2, 1]", true)]
    [InlineData("size(self.tags) == 2 && self.labels.size() == 2 && 'héllo'.size() == 5", true)]
    [InlineData("self.count > 5 ? false : true", true)]
    [InlineData("self.labels['k'] == 'v' && self.tags[1] == 'y' && self['name'] == 'a'", true)]
    [InlineData("'a\\'b' == \"a'b\" && '\\x41\\u0042\\103' == 'ABC' && r'\\n' != '\\n' && '''x'y''' == \"x'y\"", true)]
    [InlineData("self.name.startsWith('a') && 'abc'.endsWith('bc') && 'abc'.contains('b') && !'abc'.contains('d')", true)]
    [InlineData("'ÀBC-Ü'.lowerAscii() == 'Àbc-Ü'", true)]
    [InlineData("'apple' < 'banana' && !(true < false) && 0x10 == 16", true)]
    [InlineData("self.nested == self.nested && self.nested != self.labels", true)]
    public void Operators_literals_and_functions(string rule, bool expected) => Assert.Equal(expected, Evaluate(rule));

    [Theory]
    [InlineData("self.missing == 'a' || true", true)]
    [InlineData("true || self.missing == 'a'", true)]
    [InlineData("self.missing == 'a' && false", false)]
    [InlineData("false && self.missing == 'a'", false)]
    [InlineData("self.nope.x == 1 || 1 == 1", true)]
    public void And_and_or_absorb_errors_on_either_side(string rule, bool expected) => Assert.Equal(expected, Evaluate(rule));

    [Theory]
    [InlineData("self.missing == 'a' || false", "no such key: missing")]
    [InlineData("true && self.missing == 'a'", "no such key: missing")]
    [InlineData("self.first == 1 || self.second == 2", "no such key: first")]
    [InlineData("!(self.missing == 'a')", "no such key: missing")]
    [InlineData("self.missing == 'a' ? true : true", "no such key: missing")]
    [InlineData("self.labels['nope'] == ''", "no such key: nope")]
    [InlineData("has(self.missing.x)", "no such key: missing")]
    [InlineData("self.name || false", "no such overload")]
    [InlineData("self.name > 1", "no such overload")]
    [InlineData("self.count.startsWith('a')", "no such overload")]
    public void Errors_propagate_where_nothing_absorbs_them(string rule, string error) =>
        Assert.Equal(new CelError(error), Evaluate(rule));

    [Theory]
    [InlineData("has(self.name) && has(self.none) && !has(self.missing) && has(self.nested.inner) && !has(self.nested.other)", true)]
    [InlineData("self.tags.all(t, t.size() == 1) && self.tags.exists(t, t == 'y') && !self.tags.exists(t, t == 'z')", true)]
    [InlineData("self.labels.all(k, self.labels[k] != '')", false)]
    [InlineData("self.labels.exists(k, k == 'e') && self.labels.exists_one(k, self.labels[k] == '')", true)]
    [InlineData("[].all(x, x > 0) && ![].exists(x, x > 0)", true)]
    [InlineData("self.mixed.all(x, x < 0)", false)]
    [InlineData("self.mixed.exists(x, x == 'a')", true)]
    public void Has_and_macros(string rule, bool expected) => Assert.Equal(expected, Evaluate(rule));

    [Theory]
    [InlineData("self.mixed.all(x, x > 0)")]
    [InlineData("self.mixed.exists(x, x < 0)")]
    [InlineData("self.mixed.exists_one(x, x > 0)")]
    public void Macros_fail_on_an_error_that_no_element_absorbs(string rule) => Assert.Equal(CelError.NoSuchOverload, Evaluate(rule));

    [Theory]
    [InlineData("'xabcx'.matches('abc')", true)] // unanchored search, as RE2's MatchString
    [InlineData("'xabcx'.matches('^abc$')", false)]
    [InlineData("'abc\\n'.matches('^abc$')", false)] // RE2's $ is the end of the text; .NET's would match before the newline
    [InlineData("'a1'.matches('^[[:alpha:]][[:digit:]]$')", true)] // POSIX classes exist only in RE2
    [InlineData("'a\\tb'.matches('^[^%[:cntrl:]]+$')", false)]
    [InlineData("'a[b'.matches('^[^%[:cntrl:]]+$')", true)] // '[' inside a class is a plain character in RE2
    [InlineData("'\u0663'.matches('^\\\\d$')", false)] // RE2's \d is ASCII only
    [InlineData("'Ab'.matches('(?i)^ab$') && 'ab'.matches('^(?P<n>a)b$') && matches('abc', 'b')", true)]
    public void Matches_follows_re2(string rule, bool expected) => Assert.Equal(expected, Evaluate(rule));

    [Theory]
    [InlineData("self.count + 1 > 0")]
    [InlineData("int(self.name) > 0")]
    [InlineData("self.name.split(',').size() > 0")]
    [InlineData("self.tags.map(t, t).size() > 0")]
    [InlineData("{'a': 1}.size() == 1")]
    [InlineData("self.name.matches('\\\\pL')")]
    [InlineData("self.name.matches('(?m)^a$')")]
    [InlineData("b'abc'.size() == 3")]
    [InlineData("self.x__dash__y == 'a'")]
    [InlineData("other == 1")]
    public void Constructs_outside_the_subset_are_refused_at_compile_time(string rule) =>
        Assert.Throws<CelUnsupportedException>(() => CelProgram.Compile(rule));

    [Fact]
    public void Old_self_marks_a_transition_rule_and_is_bound_on_evaluation()
    {
        var program = CelProgram.Compile("self.name == oldSelf.name");
        Assert.True(program.UsesOldSelf);
        Assert.False(CelProgram.Compile("self.name == 'a'").UsesOldSelf);
        var old = CelValues.From(JsonNode.Parse("""{"name":"b"}"""), null);
        Assert.Equal(false, program.Evaluate(CelValues.From(JsonNode.Parse(Object), null), old));
        Assert.Equal(true, program.Evaluate(old, old));
    }

    private static object Evaluate(string rule) => CelProgram.Compile(rule).Evaluate(CelValues.From(JsonNode.Parse(Object), null));
}
