using Backflow.Server.Demo;

namespace Backflow.Server.Tests.Demo;

public sealed class CheckCharacterTests
{
    [Theory]
    [InlineData("91350100M000100Y43")] // the example printed in GB 32100-2015
    [InlineData("91330100799655058B")]
    [InlineData("9144030071526726XG")]
    [InlineData("91110000600037341L")]
    public void Uscc_check_character_matches_known_valid_codes(string code)
    {
        Assert.Equal(code[17], UsccGenerator.CheckCharacter(code.AsSpan(0, 17)));
        Assert.True(UsccGenerator.IsValid(code));
    }

    [Theory]
    [InlineData("91350100M000100Y44")]
    [InlineData("91350100M000100Y4")]
    [InlineData("91350100M0001O0Y43")] // O is not in the GB 32100 character set
    public void Uscc_with_a_wrong_check_length_or_character_is_invalid(string code) => Assert.False(UsccGenerator.IsValid(code));

    [Fact]
    public void Generated_usccs_are_valid_and_carry_kind_and_region()
    {
        var random = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var individual = i % 3 == 0;
            var code = UsccGenerator.Generate(random, "330106", individual);
            Assert.True(UsccGenerator.IsValid(code), code);
            Assert.StartsWith(individual ? "92330106" : "91330106", code, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("11010519491231002X")] // the example printed in GB 11643-1999
    [InlineData("440524188001010014")]
    public void Id_number_check_character_matches_known_valid_numbers(string number)
    {
        Assert.Equal(number[17], IdNumberGenerator.CheckCharacter(number.AsSpan(0, 17)));
        Assert.True(IdNumberGenerator.IsValid(number));
    }

    [Theory]
    [InlineData("110105194912310021")]
    [InlineData("11010519491231002")]
    [InlineData("1101051949123100AX")]
    public void Id_number_with_a_wrong_check_length_or_digit_is_invalid(string number) => Assert.False(IdNumberGenerator.IsValid(number));

    [Fact]
    public void Generated_id_numbers_are_valid_and_encode_birth_date_and_gender()
    {
        var random = new Random(11);
        for (var i = 0; i < 500; i++)
        {
            var birth = new DateOnly(1950, 1, 1).AddDays(i * 37);
            var male = i % 2 == 0;
            var number = IdNumberGenerator.Generate(random, "330109", birth, male);
            Assert.True(IdNumberGenerator.IsValid(number), number);
            Assert.Equal("330109" + birth.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), number[..14]);
            Assert.Equal(male ? "男" : "女", IdNumberGenerator.GenderOf(number));
        }
    }
}
