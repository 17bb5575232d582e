namespace Backflow.Server.Demo;

/// <summary>Word lists for plausible Chinese names, company names and business scopes.</summary>
internal static class ChineseNames
{
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "沈", "蒋", "钱", "俞", "楼", "金"];
    private static readonly string[] MaleGiven = ["伟", "强", "磊", "军", "杰", "涛", "明", "建国", "志强", "浩然", "子轩", "宇航", "俊杰", "文博", "国平"];
    private static readonly string[] FemaleGiven = ["芳", "娜", "敏", "静", "丽", "燕", "秀英", "婷婷", "雨涵", "欣怡", "思琪", "佳怡", "梦瑶", "晓红", "玉兰"];
    private static readonly string[] Brands = ["钱塘", "西子", "之江", "云栖", "良渚", "湘湖", "运河", "龙井", "天目", "富春", "青山", "星澜", "数智", "恒远", "博瑞"];
    private static readonly string[] Trades = ["智造", "网络科技", "贸易", "餐饮管理", "建筑工程", "生物医药", "文化传媒", "电子商务", "物流", "环保科技", "茶业", "信息技术"];
    private static readonly string[] Scopes =
    [
        "软件开发；信息技术咨询服务", "货物进出口；技术进出口", "茶叶种植；初级农产品收购", "餐饮服务；食品销售",
        "建设工程施工；建筑劳务分包", "药品批发；医疗器械经营", "广告设计、代理；会议及展览服务", "普通货物仓储服务；道路货物运输",
        "互联网销售；日用百货销售", "环境保护专用设备制造；污水处理",
    ];

    public static string Person(Random random, bool male) =>
        Pick(random, Surnames) + Pick(random, male ? MaleGiven : FemaleGiven);

    public static string Company(Random random, bool individual, DemoCounty county) =>
        individual
            ? county.Name.TrimEnd('区') + Pick(random, Brands) + Pick(random, ["小吃店", "便利店", "五金店", "理发店", "茶庄"])
            : "杭州" + Pick(random, Brands) + Pick(random, Trades) + "有限公司";

    public static string Scope(Random random) => Pick(random, Scopes);

    public static string Address(Random random, DemoCounty county) =>
        $"{county.FullName}{Pick(random, county.Roads)}{random.Next(1, 999)}号";

    public static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
