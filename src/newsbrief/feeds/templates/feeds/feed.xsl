<?xml version="1.0" encoding="utf-8"?>{% load i18n static %}
{# The page of preview.html, made by the browser from an RSS or Atom feed (XSLT 1.0). #}
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/"
  exclude-result-prefixes="atom dc">
<xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
<xsl:variable name="title" select="/rss/channel/title | /atom:feed/atom:title"/>
<xsl:variable name="address" select="(/rss/channel/atom:link | /atom:feed/atom:link)[@rel='self']/@href"/>
<xsl:template match="/">
<html lang="{{ LANGUAGE_CODE }}">
<head>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title><xsl:value-of select="$title"/></title>
<link rel="stylesheet" href="{% static 'newsbrief/board.css' %}"/>
<link rel="stylesheet" href="{% static 'feeds/feed.css' %}"/>
</head>
<body>
<header class="site-header"><div class="wrap"><p class="site-name"><a href="{% url 'briefs:index' %}">{{ name }}</a></p></div></header>
<main id="content" class="wrap">
<h1><xsl:value-of select="$title"/></h1>
{% include "feeds/_about.html" with address="{$address}" %}
<h2>{% translate "Newest entries" %}</h2>
<ol class="brief-list"><xsl:apply-templates select="/rss/channel/item | /atom:feed/atom:entry"/></ol>
</main>
</body>
</html>
</xsl:template>
<xsl:template match="item | atom:entry">
<li class="brief-item"><article lang="{dc:language | @xml:lang}">
<h3 class="brief-item-title"><a href="{link | atom:link[@rel='alternate'][not(@hreflang)]/@href}"><xsl:value-of select="title | atom:title"/></a></h3>
<p class="meta"><xsl:value-of select="dc:creator | atom:author/atom:name"/> / <xsl:value-of select="pubDate | atom:published"/></p>
</article></li>
</xsl:template>
</xsl:stylesheet>
