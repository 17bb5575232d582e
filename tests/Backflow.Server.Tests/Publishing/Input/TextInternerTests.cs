using Backflow.Server.Publishing.Input;

namespace Backflow.Server.Tests.Publishing.Input;

public sealed class TextInternerTests
{
    [Fact]
    public void A_repeated_value_is_the_same_string()
    {
        var interner = new TextInterner();

        var first = interner.Get("存续".AsSpan());
        var again = interner.Get(new string("存续").AsSpan());

        Assert.Equal("存续", first);
        Assert.Same(first, again);
        Assert.NotSame(first, interner.Get("注销".AsSpan()));
    }

    [Fact]
    public void A_column_of_distinct_values_stops_interning_until_it_resamples()
    {
        var interner = new TextInterner();
        for (var i = 0; i < TextInterner.Sample; i++)
        {
            Assert.Equal($"91330106{i:D10}", interner.Get($"91330106{i:D10}".AsSpan()));
        }

        Assert.False(interner.Enabled);
        var plain = interner.Get("91330106".AsSpan());
        Assert.NotSame(plain, interner.Get("91330106".AsSpan()));

        interner.Resample();

        Assert.True(interner.Enabled);
        Assert.Same(interner.Get("91330106".AsSpan()), interner.Get("91330106".AsSpan()));
    }

    [Fact]
    public void A_column_that_repeats_often_enough_keeps_interning()
    {
        var interner = new TextInterner();
        for (var i = 0; i < TextInterner.Sample * 2; i++)
        {
            // Two in three values are new, one in three repeats: above the quarter that keeps interning on.
            var text = i % 3 == 0 ? "在业" : $"name-{i}";
            Assert.Equal(text, interner.Get(text.AsSpan()));
        }

        Assert.True(interner.Enabled);
    }

    [Fact]
    public void Beyond_its_capacity_new_values_are_still_right_but_not_remembered()
    {
        var interner = new TextInterner();
        var kept = interner.Get("v0".AsSpan());
        for (var i = 1; i < TextInterner.Capacity + 10; i++)
        {
            // Every value repeats once right away, so interning stays on throughout.
            var text = $"v{i}";
            Assert.Equal(text, interner.Get(text.AsSpan()));
            Assert.Equal(text, interner.Get(text.AsSpan()));
        }

        Assert.True(interner.Enabled);
        Assert.Same(kept, interner.Get("v0".AsSpan()));
        var late = $"v{TextInterner.Capacity + 5}";
        Assert.NotSame(interner.Get(late.AsSpan()), interner.Get(late.AsSpan()));
    }
}
