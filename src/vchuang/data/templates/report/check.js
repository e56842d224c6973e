window.__errors=[];
window.addEventListener('error',function(e){window.__errors.push(String(e.message));});
window.addEventListener('load',function(){
  var imgs=document.images, ok=0;
  for(var i=0;i<imgs.length;i++){if(imgs[i].naturalWidth>0&&imgs[i].naturalHeight>0)ok++;}
  document.body.setAttribute('data-figures',ok+'/'+imgs.length);
  document.body.setAttribute('data-errors',String(window.__errors.length));
});
