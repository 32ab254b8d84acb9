// Customer moments as a follower uses them: scrolling through pages (one page fails and is
// retried) with a bounded page, liking and unliking (one like refused and rolled back),
// commenting and replying (one comment fails and is resent), deleting my comment, and the
// "new posts" pill after a staff member posts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, expectEventually, signIn, signedInPage, suite } from './harness.mjs';

const env = suite({ before, after });

test('scrolling pages through the feed keeps the page small; a failed page is retried', { timeout: 120_000 }, async () => {
  await env.server.reset();
  const session = await signIn(env.server, 'u-xiaoman');
  const { page, problems } = await signedInPage(env.browser, session);
  await page.goto(env.server.base + '/moments');
  await page.waitForSelector('.moment');
  // The third page fails once.
  let pagesSeen = 0;
  page.on('response', (r) => { if (/\/api\/v1\/moments\?/.test(r.url())) pagesSeen += 1; });
  await env.server.faults([{ kind: 'error', path: '/moments', method: 'GET', times: 3 }]);
  let retried = false;
  const maxInDom = [];
  for (let i = 0; i < 60 && pagesSeen < 5; i++) {
    await page.mouse.wheel(0, 2500);
    await page.waitForTimeout(150);
    maxInDom.push(await page.locator('.moment').count());
    const retry = page.locator('.load-more button');
    if (!retried && await retry.count()) {
      retried = true;
      await retry.click();
    }
  }
  assert.ok(retried, 'the failed page offered a retry');
  assert.ok(pagesSeen >= 5, `several pages loaded (${pagesSeen})`);
  assert.ok(Math.max(...maxInDom) <= 20, `the page holds a bounded number of posts (${Math.max(...maxInDom)})`);
  assert.deepEqual(problems(), []);
  await page.context().close();
});

test('like, unlike, a refused like rolls back; comment, reply, a failed comment resent, delete mine', { timeout: 120_000 }, async () => {
  await env.server.reset();
  const session = await signIn(env.server, 'u-xiaoman');
  const { page, problems } = await signedInPage(env.browser, session);
  await page.goto(env.server.base + '/moments');
  await page.waitForSelector('.moment');
  const first = page.locator('.moment').first();
  const postId = await first.getAttribute('data-post');
  const liked = async () => (await api(env.server, session, 'GET', '/moments?limit=1')).body.posts[0].liked_by_me;
  await first.locator('.moment-like').click();
  await page.waitForFunction(() => document.querySelector('.moment .moment-like')?.getAttribute('aria-pressed') === 'true');
  await expectEventually(liked, true);
  await first.locator('.moment-like').click();
  await expectEventually(liked, false);
  // Refused: shown at once, rolled back, said.
  await env.server.faults([{ kind: 'error', path: `/moments/${postId}/like`, method: 'PUT', times: 1 }]);
  await first.locator('.moment-like').click();
  await page.waitForSelector('text=没赞上');
  assert.equal(await first.locator('.moment-like').getAttribute('aria-pressed'), 'false', 'rolled back');
  assert.equal(await liked(), false);

  // Reply to someone in the thread of a post that has comments.
  const withComments = page.locator('.moment:has(.moment-comments)').first();
  const commentedId = await withComments.getAttribute('data-post');
  await withComments.locator('.moment-comment').click();
  await page.waitForSelector('.thread-comment');
  const repliedTo = await page.locator('.thread-comment .comment-author').first().textContent();
  await page.locator('.thread-comment-body').first().click();
  assert.match(await page.getAttribute('.thread-composer textarea', 'placeholder'), new RegExp(`回复 ${repliedTo}`));
  // Half a comment survives a reload: it is back when the thread opens again.
  await page.fill('.thread-composer textarea', '请问还有');
  await page.reload();
  await page.locator(`.moment[data-post=${commentedId}] .moment-comment`).click();
  await page.waitForFunction(() => document.querySelector('.thread-composer textarea')?.value === '请问还有');
  await page.locator('.thread-comment-body').first().click();
  await env.server.faults([{ kind: 'unavailable', path: `/moments/${commentedId}/comments`, method: 'POST', times: 1 }]);
  await page.fill('.thread-composer textarea', '请问还有 M 码吗？');
  await page.click('.thread-send');
  await page.click('.thread-comment[data-state=Failed] .thread-retry');
  await page.waitForSelector('.thread-comment[data-state=Sent]:has-text("请问还有 M 码吗")');
  const thread = await api(env.server, session, 'GET', `/moments/${commentedId}/comments`);
  const mine = thread.body.comments.filter((c) => c.text === '请问还有 M 码吗？');
  assert.equal(mine.length, 1, 'one comment, however many sends');
  assert.equal(mine[0].reply_to?.author_name, repliedTo, 'as a reply');
  // Delete it (with confirmation); the first delete fails and says so, the second goes through.
  await env.server.faults([{ kind: 'error', path: `/moments/${commentedId}/comments/`, method: 'DELETE', times: 1 }]);
  await page.click('.thread-comment:has-text("请问还有 M 码吗") .thread-delete');
  await page.click('.dialog-confirm');
  await page.waitForSelector('.toast-error');
  assert.equal(await page.locator('.thread-comment:has-text("请问还有 M 码吗")').count(), 1, 'kept while the delete failed');
  await page.click('.thread-comment:has-text("请问还有 M 码吗") .thread-delete');
  await page.click('.dialog-confirm');
  await page.waitForFunction(() => ![...document.querySelectorAll('.thread-comment')].some((c) => c.textContent.includes('请问还有 M 码吗')));
  const afterDelete = await api(env.server, session, 'GET', `/moments/${commentedId}/comments`);
  assert.equal(afterDelete.body.comments.filter((c) => c.text === '请问还有 M 码吗？').length, 0, 'gone on the server');
  assert.deepEqual(problems().filter((p) => !/Failed to fetch|ERR_/.test(p)), []);
  await page.context().close();
});

test('a new post shows a pill; tapping it brings the post to the top', { timeout: 90_000 }, async () => {
  await env.server.reset();
  const session = await signIn(env.server, 'u-xiaoman');
  const { page, problems } = await signedInPage(env.browser, session);
  await page.goto(env.server.base + '/moments');
  await page.waitForSelector('.moment');
  await env.server.control('POST', '/moments', { text: '新品到店：羊绒围巾' });
  // The feed asks when the page comes back into view (and every half minute), once it has
  // settled and the asking code is installed; the first ask fails (quietly: nothing to show), the
  // next one finds the post.
  await env.server.faults([{ kind: 'unavailable', path: '/moments/updates', method: 'GET', times: 3 }]);
  let asked = false;
  page.on('request', (r) => { if (r.url().includes('/moments/updates')) asked = true; });
  for (let i = 0; i < 40 && !asked; i++) {
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await page.waitForTimeout(250);
  }
  assert.ok(asked, 'the feed asks for newer posts when it comes back into view');
  await page.waitForTimeout(2500);
  assert.equal(await page.locator('.new-posts-pill').count(), 0, 'no pill from a failed ask');
  assert.equal(await page.locator('.toast-error').count(), 0, 'and no error for a background check');
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  await page.waitForSelector('.new-posts-pill:has-text("1")');
  await page.click('.new-posts-pill');
  await page.waitForFunction(() => document.querySelector('.moment .moment-text')?.textContent.includes('羊绒围巾'));
  assert.equal(await page.locator('.new-posts-pill').count(), 0, 'the pill goes');
  assert.deepEqual(problems(), []);
  await page.context().close();
});
