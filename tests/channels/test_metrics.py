"""Platform figures (followers, reach, engagement) against recorded exchanges built from each
platform's documented answers: numbers parsed right, missing figures None, an expired token
REAUTHORIZE."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from somevahti import channels
from somevahti.channels import graph, metrics
from somevahti.channels.facebook import FacebookConnector
from somevahti.channels.instagram import InstagramConnector
from somevahti.channels.mastodon import MastodonConnector
from somevahti.channels.publishing import ErrorKind, PublishError
from somevahti.channels.x import API_URL, XConnector
from tests.channels.recorded import NOW, Sleeper

SINCE, UNTIL = datetime(2026, 11, 15, tzinfo=UTC), datetime(2026, 11, 16, tzinfo=UTC)
G = graph.GRAPH_URL
PAGE, IG = "104857600000001", "17841400000000001"
M = "https://mastodon.example"
EXPIRED = {
    "error": {
        "message": "Error validating access token: Session has expired on Sunday, 15-Nov-26.",
        "type": "OAuthException",
        "code": 190,
        "error_subcode": 463,
        "fbtrace_id": "AbCdEf",
    }
}


def test_the_platforms_that_can_say_so_declare_it():
    assert all(
        metrics.supports_metrics(channels.get(n))
        for n in ("facebook", "instagram", "mastodon", "x", "youtube", "bluesky", "linkedin")
    )
    assert not metrics.supports_metrics(channels.get("file"))
    with pytest.raises(channels.base.NotSupported):
        metrics.fetch_metrics(channels.get("file"), SINCE, UNTIL)


# -- Facebook ------------------------------------------------------------------------------------


def facebook():
    return FacebookConnector.from_credentials(
        {"page_id": PAGE, "access_token": "EAApagetoken"}, now=lambda: NOW, sleep=Sleeper()
    )


def insight(name, *values):
    return {
        "name": name,
        "period": "day",
        "title": name,
        "id": f"{PAGE}/insights/{name}/day",
        "values": [{"value": v, "end_time": f"2026-11-{15 + i}T08:00:00+0000"} for i, v in enumerate(values)],
    }


def test_facebook_followers_reach_and_engagement(api):
    api.get(f"{G}/{PAGE}").respond(200, json={"followers_count": 5120, "fan_count": 4980, "id": PAGE})
    route = api.get(f"{G}/{PAGE}/insights").respond(
        200,
        json={
            "data": [insight("page_impressions_unique", 800, 433), insight("page_post_engagements", 41, 17)],
            "paging": {"previous": "…", "next": "…"},
        },
    )
    got = facebook().fetch_metrics(SINCE, UNTIL)
    assert (got.followers, got.reach, got.engagement) == (5120, 1233, 58)
    params = route.calls.last.request.url.params
    assert params["metric"] == "page_impressions_unique,page_post_engagements" and params["period"] == "day"
    assert params["since"] == str(int(SINCE.timestamp())) and params["until"] == str(int(UNTIL.timestamp()))


def test_facebook_without_insights_says_nothing_rather_than_zero(api):
    """A page under 100 likes, or a metric Graph no longer serves: an invalid-metric error (code 100)."""
    api.get(f"{G}/{PAGE}").respond(200, json={"fan_count": 87, "id": PAGE})
    api.get(f"{G}/{PAGE}/insights").respond(
        400,
        json={
            "error": {
                "message": "(#100) The value must be a valid insights metric",
                "type": "OAuthException",
                "code": 100,
            }
        },
    )
    got = facebook().fetch_metrics(SINCE, UNTIL)
    assert (got.followers, got.reach, got.engagement) == (87, None, None)


def test_facebook_expired_token_is_reauthorize(api):
    api.get(f"{G}/{PAGE}").respond(400, json=EXPIRED)
    with pytest.raises(PublishError) as e:
        facebook().fetch_metrics(SINCE, UNTIL)
    assert e.value.kind is ErrorKind.REAUTHORIZE


# -- Instagram -----------------------------------------------------------------------------------


def test_instagram_followers_and_total_values(api):
    api.get(f"{G}/{IG}").respond(200, json={"followers_count": 2301, "id": IG})
    api.get(f"{G}/{IG}/insights").respond(
        200,
        json={
            "data": [
                {
                    "name": "reach",
                    "period": "day",
                    "total_value": {"value": 970},
                    "id": f"{IG}/insights/reach/day",
                },
                {"name": "total_interactions", "period": "day", "total_value": {"value": 64}},
            ]
        },
    )
    got = InstagramConnector.from_credentials(
        {"ig_user_id": IG, "access_token": "t"}, now=lambda: NOW, sleep=Sleeper(), state={}
    ).fetch_metrics(SINCE, UNTIL)
    assert (got.followers, got.reach, got.engagement) == (2301, 970, 64)


# -- Mastodon ------------------------------------------------------------------------------------


def status(sid, created, fav, rep, reb):
    return {
        "id": sid,
        "created_at": created,
        "content": "<p>x</p>",
        "favourites_count": fav,
        "replies_count": rep,
        "reblogs_count": reb,
    }


def test_mastodon_followers_and_the_periods_statuses_over_pages(api):
    api.get(f"{M}/api/v1/accounts/verify_credentials").respond(
        200,
        json={
            "id": "109",
            "acct": "kirkkonummi",
            "followers_count": 1432,
            "following_count": 12,
            "statuses_count": 310,
        },
    )
    first = [status("500", "2026-11-16T09:00:00.000Z", 100, 100, 100)]  # after the period
    first += [status(str(400 - n), f"2026-11-15T20:{n:02d}:00.000Z", 1, 0, 0) for n in range(39)]
    route = api.get(f"{M}/api/v1/accounts/109/statuses").mock(
        side_effect=[
            httpx.Response(200, json=first),
            httpx.Response(
                200,
                json=[
                    status("4", "2026-11-15T06:00:00.000Z", 7, 2, 3),
                    status("2", "2026-11-14T23:59:00.000Z", 50, 50, 50),
                ],
            ),  # before it
        ]
    )
    got = MastodonConnector.from_credentials({"server": M, "access_token": "t"}).fetch_metrics(SINCE, UNTIL)
    assert (got.followers, got.reach, got.engagement, got.posts) == (1432, None, 39 + 12, 40)
    assert route.calls[1].request.url.params["max_id"] == "362"


def test_mastodon_without_posts_in_the_period_engagement_is_zero(api):
    api.get(f"{M}/api/v1/accounts/verify_credentials").respond(200, json={"id": "109", "followers_count": 9})
    api.get(f"{M}/api/v1/accounts/109/statuses").respond(200, json=[])
    got = MastodonConnector.from_credentials({"server": M, "access_token": "t"}).fetch_metrics(SINCE, UNTIL)
    assert (got.followers, got.engagement, got.posts) == (9, 0, 0)


def test_mastodon_revoked_token_is_reauthorize(api):
    api.get(f"{M}/api/v1/accounts/verify_credentials").respond(
        401, json={"error": "The access token is invalid"}
    )
    with pytest.raises(PublishError) as e:
        MastodonConnector.from_credentials({"server": M, "access_token": "t"}).fetch_metrics(SINCE, UNTIL)
    assert e.value.kind is ErrorKind.REAUTHORIZE


# -- X -------------------------------------------------------------------------------------------


def x():
    return XConnector.from_credentials({"access_token": "xtoken"}, now=lambda: NOW, sleep=Sleeper())


ME = {
    "data": {
        "id": "2244994945",
        "name": "Kirkkonummi",
        "username": "kirkkonummi",
        "public_metrics": {
            "followers_count": 3071,
            "following_count": 40,
            "tweet_count": 1200,
            "listed_count": 31,
            "like_count": 5,
        },
    }
}


def test_x_followers_and_engagement_of_the_periods_posts(api):
    api.get(f"{API_URL}/2/users/me").respond(200, json=ME)
    route = api.get(f"{API_URL}/2/users/2244994945/tweets").respond(
        200,
        json={
            "data": [
                {
                    "id": "1",
                    "text": "a",
                    "public_metrics": {
                        "retweet_count": 2,
                        "reply_count": 1,
                        "like_count": 9,
                        "quote_count": 1,
                        "bookmark_count": 4,
                        "impression_count": 0,
                    },
                },
                {
                    "id": "2",
                    "text": "b",
                    "public_metrics": {
                        "retweet_count": 0,
                        "reply_count": 0,
                        "like_count": 3,
                        "quote_count": 0,
                    },
                },
            ],
            "meta": {"result_count": 2},
        },
    )
    got = x().fetch_metrics(SINCE, UNTIL)
    assert (got.followers, got.reach, got.engagement, got.posts) == (3071, None, 16, 2)
    params = route.calls.last.request.url.params
    assert params["start_time"] == "2026-11-15T00:00:00Z" and params["end_time"] == "2026-11-16T00:00:00Z"


def test_x_tier_that_cannot_read_posts_still_gives_followers(api):
    api.get(f"{API_URL}/2/users/me").respond(200, json=ME)
    api.get(f"{API_URL}/2/users/2244994945/tweets").respond(
        403,
        json={
            "title": "Forbidden",
            "type": "about:blank",
            "status": 403,
            "detail": "You are not permitted to perform this action.",
        },
    )
    got = x().fetch_metrics(SINCE, UNTIL)
    assert (got.followers, got.engagement) == (3071, None)


def test_x_expired_token_is_reauthorize(api):
    api.get(f"{API_URL}/2/users/me").respond(
        401, json={"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}
    )
    with pytest.raises(PublishError) as e:
        x().fetch_metrics(SINCE, UNTIL)
    assert e.value.kind is ErrorKind.REAUTHORIZE


# -- YouTube -------------------------------------------------------------------------------------


def youtube():
    from somevahti.channels.youtube import YouTubeConnector

    return YouTubeConnector.from_credentials(
        {"access_token": "ya29.token", "channel_id": "UCkirkkonummi0000000000"},
        now=lambda: NOW,
        sleep=Sleeper(),
        state={},
    )


def test_youtube_subscribers_and_a_hidden_count(api):
    from somevahti.channels.youtube import API_URL as Y

    channel = {
        "kind": "youtube#channel",
        "id": "UCkirkkonummi0000000000",
        "statistics": {
            "viewCount": "182344",
            "subscriberCount": "1270",
            "hiddenSubscriberCount": False,
            "videoCount": "96",
        },
    }
    route = api.get(f"{Y}/youtube/v3/channels").respond(
        200, json={"kind": "youtube#channelListResponse", "items": [channel]}
    )
    got = youtube().fetch_metrics(SINCE, UNTIL)
    assert (got.followers, got.reach, got.engagement) == (1270, None, None)
    assert route.calls.last.request.url.params["part"] == "statistics"
    channel["statistics"]["hiddenSubscriberCount"] = True
    api.get(f"{Y}/youtube/v3/channels").respond(200, json={"items": [channel]})
    assert youtube().fetch_metrics(SINCE, UNTIL).followers is None


def test_youtube_expired_token_is_reauthorize(api):
    from somevahti.channels.youtube import API_URL as Y

    api.get(f"{Y}/youtube/v3/channels").respond(
        401,
        json={
            "error": {
                "code": 401,
                "message": "Request had invalid authentication credentials.",
                "status": "UNAUTHENTICATED",
                "errors": [{"message": "Invalid Credentials", "domain": "global", "reason": "authError"}],
            }
        },
    )
    with pytest.raises(PublishError) as e:
        youtube().fetch_metrics(SINCE, UNTIL)
    assert e.value.kind is ErrorKind.REAUTHORIZE


# -- Bluesky (the AppView's counts through the PDS) ----------------------------------------------

B, DID = "https://pds.example", "did:plc:kirkkonummi0000000000000"


def _jwt(payload: dict) -> str:
    import base64
    import json

    def part(obj):
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'ES256K', 'typ': 'at+jwt'})}.{part(payload)}.c2ln"


def _session(api):
    exp = int(NOW.timestamp()) + 10**8
    api.post(f"{B}/xrpc/com.atproto.server.createSession").respond(
        200,
        json={
            "did": DID,
            "handle": "kirkkonummi.test",
            "active": True,
            "accessJwt": _jwt({"scope": "com.atproto.appPass", "sub": DID, "iat": exp - 7200, "exp": exp}),
            "refreshJwt": _jwt(
                {"scope": "com.atproto.refresh", "sub": DID, "iat": exp - 7200, "exp": exp + 10**6}
            ),
        },
    )


def feed_post(rkey, created, likes, reposts, replies, quotes=0, author=DID):
    return {
        "post": {
            "uri": f"at://{author}/app.bsky.feed.post/{rkey}",
            "cid": "bafyreih" + rkey,
            "author": {"did": author, "handle": "kirkkonummi.test"},
            "record": {"$type": "app.bsky.feed.post", "text": "Kirjasto", "createdAt": created},
            "indexedAt": created,
            "likeCount": likes,
            "repostCount": reposts,
            "replyCount": replies,
            "quoteCount": quotes,
        }
    }


def bluesky():
    from somevahti.channels.bluesky import BlueskyConnector

    return BlueskyConnector.from_credentials(
        {"server": B, "identifier": "kirkkonummi.test", "app_password": "a-b-c-d"}
    )


def test_bluesky_followers_and_engagement_from_the_appview(api):
    _session(api)
    api.get(f"{B}/xrpc/app.bsky.actor.getProfile").respond(
        200,
        json={
            "did": DID,
            "handle": "kirkkonummi.test",
            "followersCount": 644,
            "followsCount": 20,
            "postsCount": 88,
        },
    )
    api.get(f"{B}/xrpc/app.bsky.feed.getAuthorFeed").respond(
        200,
        json={
            "feed": [
                feed_post("3l5", "2026-11-16T08:00:00.000Z", 90, 90, 90),  # after the period
                feed_post("3l4", "2026-11-15T12:00:00.000Z", 6, 2, 1, 1),
                feed_post(
                    "3l3", "2026-11-15T09:00:00.000Z", 40, 40, 40, author="did:plc:someoneelse00000000000"
                ),
                feed_post("3l2", "2026-11-14T12:00:00.000Z", 50, 50, 50),
            ],
            "cursor": "3l2",
        },
    )
    got = bluesky().fetch_metrics(SINCE, UNTIL)
    assert (got.followers, got.reach, got.engagement, got.posts) == (644, None, 10, 1)


def test_bluesky_without_an_appview_is_an_error_not_zeroes(api):
    _session(api)
    api.get(f"{B}/xrpc/app.bsky.actor.getProfile").respond(
        501, json={"error": "MethodNotImplemented", "message": "Method Not Implemented"}
    )
    with pytest.raises(PublishError) as e:
        bluesky().fetch_metrics(SINCE, UNTIL)
    assert e.value.kind is ErrorKind.PLATFORM_DOWN


# -- LinkedIn ------------------------------------------------------------------------------------


def linkedin():
    from somevahti.channels.linkedin import LinkedInConnector

    return LinkedInConnector.from_credentials(
        {"organization_id": "5515715", "access_token": "AQXtoken"}, now=lambda: NOW, sleep=Sleeper()
    )


def day_stats(unique, impressions, likes, comments, shares, start):
    return {
        "organizationalEntity": "urn:li:organization:5515715",
        "timeRange": {"start": start, "end": start + 86_400_000},
        "totalShareStatistics": {
            "uniqueImpressionsCount": unique,
            "impressionCount": impressions,
            "likeCount": likes,
            "commentCount": comments,
            "shareCount": shares,
            "clickCount": 12,
            "engagement": 0.031,
        },
    }


def test_linkedin_followers_reach_and_engagement_by_day(api):
    from somevahti.channels.linkedin import API_URL as L

    api.get(f"{L}/networkSizes/urn%3Ali%3Aorganization%3A5515715").respond(
        200, json={"firstDegreeSize": 3912}
    )
    start = int(SINCE.timestamp() * 1000)
    route = api.get(f"{L}/organizationalEntityShareStatistics").respond(
        200, json={"paging": {"count": 10, "start": 0}, "elements": [day_stats(310, 420, 9, 2, 1, start)]}
    )
    got = linkedin().fetch_metrics(SINCE, UNTIL)
    assert (got.followers, got.reach, got.impressions, got.engagement) == (3912, 310, 420, 12)
    query = str(route.calls.last.request.url.query, "ascii")
    assert (
        f"timeIntervals=(timeRange:(start:{start},end:{start + 86_400_000}),timeGranularityType:DAY)" in query
    )


def test_linkedin_expired_token_is_reauthorize(api):
    from somevahti.channels.linkedin import API_URL as L

    api.get(f"{L}/networkSizes/urn%3Ali%3Aorganization%3A5515715").respond(
        401,
        json={
            "status": 401,
            "serviceErrorCode": 65601,
            "code": "REVOKED_ACCESS_TOKEN",
            "message": "The token used in the request has been revoked by the user",
        },
    )
    with pytest.raises(PublishError) as e:
        linkedin().fetch_metrics(SINCE, UNTIL)
    assert e.value.kind is ErrorKind.REAUTHORIZE
