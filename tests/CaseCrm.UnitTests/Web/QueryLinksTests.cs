using CaseCrm.Web.Infrastructure;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace CaseCrm.UnitTests.Web;

/// <summary>Links to the current list with some values changed: the request's keys keep their order, spelling and empty values.</summary>
public class QueryLinksTests
{
    [Fact]
    public void With_ReplacesAKeyInPlace_WhateverItsCase_RemovesOnEmpty_AndAppendsNewKeysInOrder()
    {
        var request = Request("/base", "/Cases", "?q=&Sort=title&status=New&page=3");

        Assert.Equal("/base/Cases?q=&Sort=due&status=New", QueryLinks.With(request, ("sort", "due"), ("page", null)));
        Assert.Equal("/base/Cases?q=&Sort=title&status=New&page=3&dir=desc&size=50", QueryLinks.With(request, ("dir", "desc"), ("size", "50")));
        Assert.Equal("/base/Cases?q=&Sort=title&status=New&page=4", QueryLinks.With(request, ("page", "2"), ("page", "4")));
    }

    [Fact]
    public void With_EncodesKeysAndValues_KeepsRepeatedValues_AndLeavesNoQuestionMarkWhenNothingIsLeft()
    {
        var request = Request(string.Empty, "/Contacts", "?q=garc%C3%ADa%20%26%20hijos&ids=1&ids=2");

        Assert.Equal("/Contacts?q=garc%C3%ADa%20%26%20hijos&ids=1&ids=2&sort=name", QueryLinks.With(request, ("sort", "name")));
        Assert.Equal("/Contacts?ids=1&ids=2&q=a%2Bb", QueryLinks.With(Request(string.Empty, "/Contacts", "?ids=1&ids=2"), ("q", "a+b")));
        Assert.Equal("/Contacts", QueryLinks.With(Request(string.Empty, "/Contacts", "?q=x"), ("q", string.Empty)));
    }

    private static HttpRequest Request(string pathBase, string path, string query)
    {
        var context = new DefaultHttpContext();
        context.Request.PathBase = pathBase;
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        return context.Request;
    }
}
