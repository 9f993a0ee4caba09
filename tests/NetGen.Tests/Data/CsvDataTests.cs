using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using NetGen.Testing;
using Xunit;

namespace NetGen.Tests.Data;

/// <summary>
/// <see cref="CsvData"/>: quoting, separators, headers, class labels and regression targets, column selection, and the
/// one-line message of every problem. Every expected value is written by hand from the CSV text of the test.
/// </summary>
public sealed class CsvDataTests : IDisposable
{
    private const string Name = "t.csv";
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static CsvTable Read(string text, CsvOptions? options = null) => CsvData.Read(new StringReader(text), Name, options);

    private static string Error(string text, CsvOptions? options = null)
    {
        var ex = Assert.Throws<DataFormatException>(() => Read(text, options));
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Equal(Name, ex.FilePath);
        return ex.Message;
    }

    [Fact]
    public void Header_comma_and_text_labels_make_a_classification_with_sorted_classes()
    {
        CsvTable t = Read("x,y,species\n1,2.5,setosa\n-3,1e-3,virginica\n0.25, 4 ,setosa\n");
        Assert.Equal(3, t.Rows);
        Assert.Equal(2, t.FeatureCount);
        Assert.Equal(new[] { "x", "y" }, t.FeatureNames);
        Assert.Equal(new[] { "species" }, t.TargetNames);
        Assert.Equal(new[] { 1f, 2.5f, -3f, 0.001f, 0.25f, 4f }, t.Features);
        Assert.True(t.IsClassification);
        Assert.Equal(new[] { "setosa", "virginica" }, t.ClassNames);
        Assert.Equal(new[] { 0, 1, 0 }, t.Labels);
        Assert.Null(t.Targets);
        Assert.Equal(Name, t.DisplayName);
    }

    [Fact]
    public void Quoted_fields_hold_separators_doubled_quotes_and_line_breaks()
    {
        CsvTable t = Read("\"a,1\",\"b\"\"2\",label\n\"1.5\",2,\"big, \"\"red\"\"\"\n3,\"4\",\"two\nlines\"\n5,6,plain\n");
        Assert.Equal(new[] { "a,1", "b\"2" }, t.FeatureNames);
        Assert.Equal(new[] { 1.5f, 2f, 3f, 4f, 5f, 6f }, t.Features);
        Assert.Equal(new[] { "big, \"red\"", "plain", "two\nlines" }, t.ClassNames);
        Assert.Equal(new[] { 0, 2, 1 }, t.Labels);
    }

    [Theory]
    [InlineData("a;b;c", ';')]
    [InlineData("a\tb\tc", '\t')]
    [InlineData("a,b,c", ',')]
    [InlineData("x", ',')] // none: comma
    [InlineData("\"a;b;c;d\",b,c", ',')] // the semicolons are inside quotes
    [InlineData("a;b,c;d,e", ',')] // a tie of comma and semicolon: comma
    [InlineData("a;b\tc;d\te", ';')] // a tie of semicolon and tab, no comma: semicolon
    [InlineData("a;b;c\n1,2,3,4,5", ';')] // the first line only
    public void The_separator_is_the_most_frequent_outside_quotes_on_the_first_line(string firstLine, char separator)
    {
        Assert.Equal(separator, CsvData.DetectSeparator(firstLine));
    }

    [Theory]
    [InlineData("a;b;c\n1;2.5;x\n3;4;y\n")]
    [InlineData("a\tb\tc\n1\t2.5\tx\n3\t4\ty\n")]
    [InlineData("a,b,c\n1,2.5,x\n3,4,y\n")]
    [InlineData("\"a;\",b,c\n1,2.5,x\n3,4,y\n")]
    public void Each_separator_is_detected_and_read(string text)
    {
        CsvTable t = Read(text);
        Assert.Equal(new[] { 1f, 2.5f, 3f, 4f }, t.Features);
        Assert.Equal(new[] { "x", "y" }, t.ClassNames);
    }

    [Fact]
    public void A_given_separator_is_used_even_where_another_is_more_frequent()
    {
        CsvTable t = Read("a,b|c\n1.5|x\n", new CsvOptions { Separator = '|' });
        Assert.Equal(new[] { "a,b" }, t.FeatureNames);
        Assert.Equal(new[] { 1.5f }, t.Features);
        Assert.Equal("t.csv(line 2, column \"a,b\"): \"1,5\" is not a number", Error("a,b|c\n1,5|x\n", new CsvOptions { Separator = '|' }));
    }

    [Fact]
    public void Semicolon_files_with_decimal_commas_are_refused_not_misread()
    {
        Assert.Equal("t.csv(line 2, column \"a\"): \"1,5\" is not a number", Error("a;b\n1,5;x\n"));
    }

    [Fact]
    public void Without_a_header_columns_are_named_by_index()
    {
        CsvTable t = Read("1,2,a\n3,4,b\n", new CsvOptions { HasHeader = false });
        Assert.Equal(2, t.Rows);
        Assert.Equal(new[] { "0", "1" }, t.FeatureNames);
        Assert.Equal(new[] { "2" }, t.TargetNames);
        Assert.Equal(new[] { 1f, 2f, 3f, 4f }, t.Features);
        Assert.Equal(new[] { 0, 1 }, t.Labels);
    }

    [Fact]
    public void Numeric_class_labels_sort_by_value()
    {
        CsvTable t = Read("f,c\n1,10\n2,2\n3,1\n4,2\n5,-1.5\n", new CsvOptions { Task = CsvTask.Classification });
        Assert.Equal(new[] { "-1.5", "1", "2", "10" }, t.ClassNames);
        Assert.Equal(new[] { 3, 2, 1, 2, 0 }, t.Labels);
    }

    [Fact]
    public void Text_class_labels_sort_in_ordinal_order()
    {
        CsvTable t = Read("f,c\n1,b\n2,a\n3,B\n4,10\n");
        Assert.Equal(new[] { "10", "B", "a", "b" }, t.ClassNames);
        Assert.Equal(new[] { 3, 2, 1, 0 }, t.Labels);
    }

    [Fact]
    public void Integer_labels_are_regression_unless_classification_is_asked_for()
    {
        CsvTable t = Read("f,c\n1,0\n2,1\n");
        Assert.False(t.IsClassification);
        Assert.Equal(new[] { 0f, 1f }, t.Targets);
        Assert.Null(t.Labels);
        Assert.Null(t.ClassNames);
    }

    [Fact]
    public void A_given_class_list_fixes_the_indices()
    {
        var options = new CsvOptions { ClassNames = new[] { "dog", "cat", "bird" } };
        CsvTable t = Read("f,animal\n1,cat\n2,dog\n3,cat\n", options);
        Assert.True(t.IsClassification);
        Assert.Equal(new[] { "dog", "cat", "bird" }, t.ClassNames);
        Assert.Equal(new[] { 1, 0, 1 }, t.Labels);
        Assert.Equal("t.csv(line 3, column \"animal\"): label \"cow\" is not one of the 3 class names (dog, cat, bird)",
            Error("f,animal\n1,cat\n2,cow\n", options));
    }

    [Fact]
    public void A_numeric_label_in_a_given_class_list_is_a_class()
    {
        CsvTable t = Read("f,c\n1,7\n2,3\n", new CsvOptions { ClassNames = new[] { "3", "7" } });
        Assert.Equal(new[] { 1, 0 }, t.Labels);
    }

    [Fact]
    public void One_regression_target()
    {
        CsvTable t = Read("a,b,price\n1,2,10.5\n3,4,-2e2\n");
        Assert.False(t.IsClassification);
        Assert.Equal(new[] { "price" }, t.TargetNames);
        Assert.Equal(new[] { 10.5f, -200f }, t.Targets);
        Assert.Equal(new[] { 1f, 2f, 3f, 4f }, t.Features);
    }

    [Fact]
    public void Two_regression_targets_by_name_and_index()
    {
        CsvTable t = Read("u,a,v,b\n1,2,3,4\n5,6,7,8\n", new CsvOptions { Targets = new[] { "v", "0" } });
        Assert.False(t.IsClassification);
        Assert.Equal(new[] { "v", "u" }, t.TargetNames);
        Assert.Equal(new[] { 3f, 1f, 7f, 5f }, t.Targets);
        Assert.Equal(new[] { "a", "b" }, t.FeatureNames);
        Assert.Equal(new[] { 2f, 4f, 6f, 8f }, t.Features);
    }

    [Fact]
    public void Two_targets_cannot_be_a_classification()
    {
        Assert.Equal("t.csv: classification needs one target column, not 2 (a, b)",
            Error("a,b,c\n1,2,3\n", new CsvOptions { Targets = new[] { "a", "b" }, Task = CsvTask.Classification }));
    }

    [Fact]
    public void Features_and_ignored_columns_by_name_and_index()
    {
        const string text = "id,a,b,c,label\n7,1,2,3,x\n8,4,5,6,y\n";
        CsvTable ignored = Read(text, new CsvOptions { Ignore = new[] { "id", "3" } });
        Assert.Equal(new[] { "a", "b" }, ignored.FeatureNames);
        Assert.Equal(new[] { 1f, 2f, 4f, 5f }, ignored.Features);

        CsvTable chosen = Read(text, new CsvOptions { Features = new[] { "c", "1" } });
        Assert.Equal(new[] { "c", "a" }, chosen.FeatureNames);
        Assert.Equal(new[] { 3f, 1f, 6f, 4f }, chosen.Features);
        Assert.Equal(new[] { 0, 1 }, chosen.Labels);
    }

    [Fact]
    public void A_name_is_tried_before_an_index()
    {
        CsvTable t = Read("0,1,x\n5,6,a\n", new CsvOptions { Features = new[] { "1" }, Ignore = new[] { "0" } });
        Assert.Equal(new[] { "1" }, t.FeatureNames);
        Assert.Equal(new[] { 6f }, t.Features);
    }

    [Fact]
    public void Columns_that_do_not_exist_are_named_with_the_columns_there_are()
    {
        Assert.Equal("t.csv: no column \"agee\" (columns: age, b, c)", Error("age,b,c\n1,2,x\n", new CsvOptions { Targets = new[] { "agee" } }));
        Assert.Equal("t.csv: no column \"3\" (columns: age, b, c)", Error("age,b,c\n1,2,x\n", new CsvOptions { Features = new[] { "3" } }));
        string header = "c0,c1,c2,c3,c4,c5,c6,c7,c8,c9,c10,c11\n";
        Assert.Equal("t.csv: no column \"x\" (columns: c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, ... (12 in all))",
            Error(header + "1,2,3,4,5,6,7,8,9,10,11,12\n", new CsvOptions { Ignore = new[] { "x" } }));
    }

    [Fact]
    public void A_column_in_two_roles_is_refused()
    {
        Assert.Equal("t.csv: column \"a\" is both a feature and a target",
            Error("a,b\n1,2\n", new CsvOptions { Features = new[] { "a" }, Targets = new[] { "0" } }));
        Assert.Equal("t.csv: no feature columns: every column is a target or ignored (columns: a, b)",
            Error("a,b\n1,2\n", new CsvOptions { Ignore = new[] { "a" } }));
    }

    [Fact]
    public void A_bad_cell_is_located_by_line_and_column()
    {
        Assert.Equal("t.csv(line 3, column \"age\"): \" abc \" is not a number", Error("age,b,c\n1,2,x\n abc ,3,y\n"));
        Assert.Equal("t.csv(line 2, column \"b\"): empty cell", Error("age,b,c\n1,,x\n"));
        Assert.Equal("t.csv(line 2, column \"b\"): empty cell", Error("age,b,c\n1,  ,x\n"));
        Assert.Equal("t.csv(line 1, column 1): \"x\" is not a number", Error("1,x,3\n", new CsvOptions { HasHeader = false }));
        Assert.Equal("t.csv(line 2, column \"c\"): empty cell", Error("a,b,c\n1,2,\n"));
    }

    [Fact]
    public void Line_numbers_count_the_line_breaks_inside_quotes()
    {
        // Line 1 header, lines 2-4 one row with a three-line label, line 5 the bad cell.
        const string text = "a,b,label\n1,2,\"one\ntwo\nthree\"\n3,oops,x\n";
        Assert.Equal("t.csv(line 5, column \"b\"): \"oops\" is not a number", Error(text));
        // A header cell of two lines: the first row is lines 1-2, the data from line 3.
        Assert.Equal("t.csv(line 4, column \"b\\nb\"): \"?\" is not a number", Error("a,\"b\nb\",c\n1,2,x\n3,?,y\n"));
        // A bad cell after a quoted line break in the same row is on the row's second line.
        Assert.Equal("t.csv(line 3, column \"b\"): \"z\" is not a number", Error("l,b,c\n\"x\ny\",z,1\n", new CsvOptions { Targets = new[] { "l" } }));
        // CRLF inside quotes is one line break.
        Assert.Equal("t.csv(line 4, column \"a\"): \"q\" is not a number", Error("a,b\r\n1,\"x\r\ny\"\r\nq,z\r\n"));
    }

    [Fact]
    public void Not_finite_numbers_are_refused()
    {
        Assert.Equal("t.csv(line 2, column \"a\"): \"NaN\" is not a finite number", Error("a,b\nNaN,1\n"));
        Assert.Equal("t.csv(line 2, column \"a\"): \"-Infinity\" is not a finite number", Error("a,b\n-Infinity,1\n"));
        Assert.Equal("t.csv(line 2, column \"a\"): \"1e39\" is not a finite number", Error("a,b\n1e39,1\n"));
        Assert.Equal("t.csv(line 2, column \"a\"): \"inf\" is not a number", Error("a,b\ninf,1\n"));
    }

    [Fact]
    public void Empty_files_and_header_only_files_have_no_rows()
    {
        Assert.Equal("t.csv: empty file", Error(""));
        Assert.Equal("t.csv: empty file", Error("\uFEFF"));
        Assert.Equal("t.csv: empty file", Error("\n\r\n\n"));
        Assert.Equal("t.csv: no rows", Error("a,b,c\n"));
        Assert.Equal("t.csv: no rows", Error("a,b,c"));
        Assert.Equal("t.csv: no rows", Error("a,b,c\r\n\r\n"));
    }

    [Fact]
    public void Ragged_rows_are_refused_with_the_count_expected()
    {
        Assert.Equal("t.csv(line 5): 3 cells, expected 4 (as in the header)", Error("a,b,c,d\n1,2,3,x\n1,2,3,x\n1,2,3,x\n1,2,3\n"));
        Assert.Equal("t.csv(line 3): 5 cells, expected 4 (as in the header)", Error("a,b,c,d\n1,2,3,x\n1,2,3,x,9\n"));
        Assert.Equal("t.csv(line 2): 2 cells, expected 3 (as in line 1)", Error("1,2,x\n1,2\n", new CsvOptions { HasHeader = false }));
        Assert.Equal("t.csv(line 2): 1 cell, expected 3 (as in line 1)", Error("1,2,x\nabc\n", new CsvOptions { HasHeader = false }));
    }

    [Fact]
    public void Blank_lines_at_the_end_are_ignored_but_not_between_rows()
    {
        Assert.Equal(2, Read("a,b\n1,x\n2,y\n\n\r\n\n").Rows);
        Assert.Equal(2, Read("a,b\n1,x\n2,y\n  \n\t\n").Rows);
        Assert.Equal("t.csv(line 3): empty line, expected 2 cells (as in the header)", Error("a,b\n1,x\n\n2,y\n"));
        Assert.Equal("t.csv(line 1): empty line", Error("\na,b\n1,x\n"));
    }

    [Fact]
    public void Line_ends_CRLF_LF_CR_and_no_final_line_end_read_the_same()
    {
        foreach (string text in new[] { "a,b\r\n1,x\r\n2,y\r\n", "a,b\n1,x\n2,y", "a,b\r1,x\r2,y\r", "a,b\r\n1,x\n2,y" })
        {
            CsvTable t = Read(text);
            Assert.Equal(new[] { 1f, 2f }, t.Features);
            Assert.Equal(new[] { "x", "y" }, t.ClassNames);
        }
        Assert.Equal("t.csv(line 3, column \"a\"): \"z\" is not a number", Error("a,b\r\n1,x\r\nz,y\r\n"));
    }

    [Fact]
    public void A_byte_order_mark_is_skipped()
    {
        CsvTable fromText = Read("\uFEFFa,b\n1,x\n");
        Assert.Equal(new[] { "a" }, fromText.FeatureNames);

        string path = _temp.File("bom.csv");
        File.WriteAllBytes(path, new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("a;b\n1.5;x\n")).ToArray());
        CsvTable fromFile = CsvData.Load(path);
        Assert.Equal(new[] { "a" }, fromFile.FeatureNames);
        Assert.Equal(new[] { 1.5f }, fromFile.Features);
        Assert.Equal(path, fromFile.DisplayName);
    }

    [Fact]
    public void Numbers_read_the_same_under_a_culture_with_decimal_commas()
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            CsvTable t = Read("a,b,y\n1.5,-0.25,3.75\n1e-3,2,1000\n");
            Assert.Equal(new[] { 1.5f, -0.25f, 0.001f, 2f }, t.Features);
            Assert.Equal(new[] { 3.75f, 1000f }, t.Targets);
            Assert.Equal("t.csv(line 2, column \"a\"): \"1,5\" is not a number", Error("a;y\n1,5;2\n"));
            CsvTable classes = Read("a,y\n1,2.5\n2,10\n3,x\n");
            Assert.Equal(new[] { "10", "2.5", "x" }, classes.ClassNames);
            CsvTable numeric = Read("a,y\n1,2.5\n2,10\n", new CsvOptions { Task = CsvTask.Classification });
            Assert.Equal(new[] { "2.5", "10" }, numeric.ClassNames);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Without_targets_only_features_are_read()
    {
        CsvTable t = Read("a,b\n1,2\n", new CsvOptions { Targets = Array.Empty<string>() });
        Assert.Equal(new[] { "a", "b" }, t.FeatureNames);
        Assert.Empty(t.TargetNames);
        Assert.Equal(new[] { 1f, 2f }, t.Features);
        Assert.Null(t.Labels);
    }

    [Fact]
    public void Contradicting_options_are_argument_errors()
    {
        Assert.Throws<ArgumentException>(() => Read("a,b\n1,2\n", new CsvOptions { Separator = '"' }));
        Assert.Throws<ArgumentException>(() => Read("a,b\n1,2\n", new CsvOptions { ClassNames = new[] { "a", "a" } }));
        Assert.Throws<ArgumentException>(() => Read("a,b\n1,2\n", new CsvOptions { ClassNames = new[] { "a" }, Task = CsvTask.Regression }));
    }

    [Fact]
    public void Load_refuses_missing_files_folders_and_named_pipes_in_one_line()
    {
        string missing = _temp.File("missing.csv");
        Assert.Equal($"{missing}: file not found", Assert.Throws<DataFormatException>(() => CsvData.Load(missing)).Message);
        Assert.Equal($"{_temp.Path}: is a folder, not a file", Assert.Throws<DataFormatException>(() => CsvData.Load(_temp.Path)).Message);
        if (!NamedPipe.Supported) return;
        using var pipe = NamedPipe.Silent(_temp.File("pipe.csv"));
        var ex = pipe.Within(TimeSpan.FromSeconds(60), () => Assert.Throws<DataFormatException>(() => CsvData.Load(pipe.Path)));
        Assert.Equal($"{pipe.Path}: is a named pipe (FIFO), not a regular file", ex.Message);
    }

    [Fact]
    public void Long_values_in_messages_are_cut_and_line_breaks_escaped()
    {
        string value = new string('z', 50);
        Assert.Equal($"t.csv(line 2, column \"a\"): \"{new string('z', 40)}...\" is not a number", Error($"a,b\n{value},1\n"));
        Assert.Equal("t.csv(line 2, column \"a\"): \"x\\ny\" is not a number", Error("a,b\n\"x\ny\",1\n"));
    }

    [Fact]
    public void An_unterminated_quote_that_swallows_the_file_fails_in_one_line()
    {
        // Sep refuses a row of more than 16 MB; its exception comes out as a DataFormatException with the place.
        string message = Error("a,b\n1,x\n\"" + string.Concat(Enumerable.Repeat("1,2\n", 4_500_000)));
        Assert.StartsWith("t.csv(after line 2): unreadable CSV: ", message);
    }

    [Fact]
    public void A_feature_row_is_a_slice_of_the_matrix()
    {
        CsvTable t = Read("a,b,y\n1,2,x\n3,4,y\n");
        Assert.Equal(new[] { 3f, 4f }, t.FeatureRow(1).ToArray());
    }

    [Fact]
    public void Auto_with_many_distinct_numbers_then_text_explains_itself()
    {
        var text = new StringBuilder("f,y\n");
        for (int i = 0; i <= CsvReading.MaxClasses; i++) text.Append("1,").Append(i).Append('\n');
        text.Append("1,cat\n");
        string message = Error(text.ToString());
        Assert.StartsWith($"t.csv(line {CsvReading.MaxClasses + 3}, column \"y\"): \"cat\" is not a number, and the target column had more than", message);
    }
}
